// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

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
          patterns: [
            "express",
            "react",
            "react-dom",
            "@xyflow/*",
            "../server/*",
            "../../server/*",
            "../builder-ui/*",
            "../../builder-ui/*",
          ],
        },
      ],
    },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
  },
  // The front door: SQL lives in engine/store only, and the server reaches the engine through engine/index
  // (and the journey contract in engine/schema). Tests and benchmarks may look underneath.
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
    {
      files: ["server/**/*.ts"],
      // The command line's entry still wires the engine's own commands until they move out of engine/.
      ignores: ["server/cli-main.ts", ...tests],
      rules: {
        "@typescript-eslint/no-restricted-imports": [
          "error",
          {
            patterns: [
              sqlDrivers,
              {
                group: ["**/engine/*", "!**/engine/index", "!**/engine/schema"],
                message: "The server uses the engine through its front door: import from engine/index.",
              },
            ],
          },
        ],
      },
    },
  ];
}
