// Lint: the recommended rules of ESLint and typescript-eslint, zero warnings allowed (npm run lint).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "cdktf.out/", "dist/", ".scratch/", "coverage/", "**/*.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "error",
    },
  },
  {
    // Short rooms: no function over 80 lines (blank lines and comments count) outside tests, their
    // support and the benchmarks; a longer one is a sign that it does more than its name says.
    files: ["**/*.{ts,js,cjs,mjs}"],
    ignores: ["__tests__/**", "testing/**", "bench/**"],
    rules: { "max-lines-per-function": ["error", { max: 80 }] },
  },
  {
    // Tests and fixtures read untyped JSON and CommonJS-only packages.
    files: ["__tests__/**/*.ts", "testing/**/*.ts", "bench/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off", "@typescript-eslint/no-require-imports": "off", "no-console": "off" },
  },
  {
    files: ["scripts/**/*.ts", "**/*.js", "**/*.cjs", "**/*.mjs"],
    rules: { "no-console": "off" },
  },
  {
    // CommonJS files: the jest configuration and the synth launcher.
    files: ["**/*.js", "**/*.cjs"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
    languageOptions: {
      sourceType: "commonjs",
      globals: { module: "writable", require: "readonly", __dirname: "readonly", process: "readonly" },
    },
  },
);
