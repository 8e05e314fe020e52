// @ts-check
// The parts of the house and what each may import, by resolved path (import-x/no-restricted-paths zones,
// relative to the repository root). The negative checks in test/boundaries prove each zone fails.

const FRONT_DOOR =
  "The server and the command line use the engine through its front door (engine/index.ts) and the contract (engine/schema).";

/** @type {{ target: string | string[]; from: string | string[]; except?: string[]; message?: string }[]} */
export const boundaryZones = [
  {
    target: "./engine",
    from: ["./server", "./builder-ui", "./cli"],
    message: "engine/ is the core: it never imports the server, the builder or the command line.",
  },
  {
    target: "./engine/schema",
    from: "./engine",
    except: ["./schema"],
    message: "engine/schema is the pure contract: it imports no runtime, store or other engine module.",
  },
  {
    target: "./builder-ui",
    from: "./engine",
    except: ["./schema"],
    message: "The builder imports only the contract (engine/schema); everything else comes over HTTP.",
  },
  {
    target: "./builder-ui",
    from: ["./server", "./cli"],
    message: "The builder talks to the server over HTTP only.",
  },
  { target: "./server", from: "./engine", except: ["./index.ts", "./schema"], message: FRONT_DOOR },
  {
    target: "./server",
    from: ["./cli", "./builder-ui/src"],
    message: "The server does not import the command line or the builder's sources.",
  },
  { target: "./cli", from: "./engine", except: ["./index.ts", "./schema"], message: FRONT_DOOR },
  { target: "./cli", from: "./builder-ui/src", message: "The command line does not import the builder." },
];
