// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";
import { createNodeResolver, importX } from "eslint-plugin-import-x";
import reactHooks from "eslint-plugin-react-hooks";
import { boundaryZones } from "./eslint.boundaries.js";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "dist/",
      "builder-ui/dist/",
      "data/",
      "coverage/",
      "**/migrations/**",
      ".bench/",
      ".scratch/",
      ".tmp-*",
      "screenshots/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/switch-exhaustiveness-check": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-imports": "off",
    },
  },
  {
    // engine/ is framework-free: the boundary is enforced, not just documented.
    files: ["engine/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: ["express", "react", "react-dom", "@xyflow/*"],
        },
      ],
    },
  },
  {
    // The two rules of hooks; useAsync's deps are checked at each call like useEffect's. The React
    // Compiler's rules (set-state-in-effect, refs, ...) stay off: the builder is not compiled by it.
    files: ["builder-ui/src/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": ["error", { additionalHooks: "^useAsync$" }],
    },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
  },
  // Boundaries by name: which top-level part may import which (resolved paths, not import depth).
  {
    files: ["**/*.ts", "**/*.tsx", "**/*.js", "**/*.mjs"],
    ignores: ["**/*.test.ts", "**/*.test.tsx", "test/**", "bench/**"],
    plugins: { "import-x": importX },
    settings: {
      "import-x/resolver-next": [createNodeResolver({ extensions: [".ts", ".tsx", ".js", ".mjs"] })],
    },
    rules: {
      "import-x/no-restricted-paths": ["error", { basePath: import.meta.dirname, zones: boundaryZones }],
    },
  },
  {
    // The contract is pure: no file system, network or processes (the builder bundles it).
    files: ["engine/schema/**/*.ts"],
    ignores: ["**/*.test.ts"],
    plugins: { "import-x": importX },
    rules: { "import-x/no-nodejs-modules": "error" },
  },
  // SQL lives in engine/store only. Tests and benchmarks may look underneath.
  ...frontDoor(),
);

function frontDoor() {
  const sqlDrivers = {
    group: ["better-sqlite3", "drizzle-orm", "drizzle-orm/*"],
    message: "SQL belongs in engine/store: add a Store method instead.",
  };
  const tests = ["**/*.test.ts", "test/**", "bench/**"];
  return [
    {
      files: ["**/*.ts", "**/*.tsx"],
      ignores: ["engine/store/**", ...tests],
      rules: { "@typescript-eslint/no-restricted-imports": ["error", { patterns: [sqlDrivers] }] },
    },
  ];
}
