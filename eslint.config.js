import js from "@eslint/js";
import globals from "globals";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["build/", ".builds/", "node_modules/", ".cache/", "app/types/*.d.ts", "test/.tmp/", "extensions/**/dist/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // React components live in .tsx; elsewhere a use* name is not a hook.
    files: ["**/*.tsx"],
    plugins: { "react-hooks": reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-console": ["error", { allow: ["warn", "error", "info"] }],
      // A variable the closure reads before start-up assigns it must stay `let`.
      "prefer-const": ["error", { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // Plain scripts served to browsers (the local admin's App Bridge stand-in).
    files: ["**/*.js"],
    ignores: ["*.config.js"],
    languageOptions: { globals: { ...globals.browser, __LOCAL_STORE_CONFIG__: "readonly" } },
  },
  {
    files: ["test/**", "prisma/**", "*.config.ts", "*.config.js"],
    rules: { "no-console": "off" },
  },
);
