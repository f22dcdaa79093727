import tseslint from "typescript-eslint";
import pulumi from "@pulumi/eslint-plugin";

export default tseslint.config(
    { ignores: ["node_modules/", "bin/", "policy/node_modules/", "eslint.config.mjs"] },
    ...tseslint.configs.recommended,
    {
        files: ["**/*.ts"],
        plugins: { "@pulumi": pulumi },
        languageOptions: {
            parserOptions: { project: ["./tsconfig.json"], tsconfigRootDir: import.meta.dirname },
        },
        rules: {
            "@pulumi/no-output-in-template-literal": "error",
            "@pulumi/no-output-instance-in-template-literal": "error",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
            "@typescript-eslint/no-floating-promises": "error",
        },
    },
    {
        // CommonJS entry points loaded with `node -r` before TypeScript is available.
        files: ["**/*.js"],
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
    {
        // The policy pack is shipped and started on its own (`npm pack`, then `npm install` in the pack's
        // directory), so nothing in policy/ may reach outside it: no package that only the root
        // package.json installs, and no relative path that climbs (`..`). The rule sees the import text,
        // not the resolved path, so climbing is refused at any depth: modules of the pack import
        // downwards (`./rules/util`), and a module two folders need lives where both can reach it so.
        files: ["policy/**/*.ts"],
        rules: {
            "no-restricted-imports": ["error", {
                paths: ["@pulumi/aws", "@pulumi/awsx", "@pulumi/random", "ipaddr.js", "zod", "js-yaml"].map(name => ({
                    name,
                    message: "not a dependency of policy/package.json, so the installed pack would not find it.",
                })),
                patterns: [{
                    regex: "(^|/)\\.\\.(/|$)",
                    message: "policy/ imports nothing outside policy/ (the pack is installed and started on its own); import downwards with ./",
                }],
            }],
        },
    },
    {
        files: ["test/**/*.ts"],
        rules: { "@typescript-eslint/no-unused-expressions": "off", "@typescript-eslint/no-non-null-assertion": "off" },
    },
);
