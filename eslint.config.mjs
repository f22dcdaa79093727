import tseslint from "typescript-eslint";
import pulumi from "@pulumi/eslint-plugin";
import { readFileSync } from "node:fs";

// Packages the root installs but the policy pack does not declare: the installed pack would not find them.
const readDeps = (file) => {
    const pkg = JSON.parse(readFileSync(new URL(file, import.meta.url), "utf8"));
    return Object.keys({ ...pkg.dependencies, ...pkg.devDependencies });
};
const packDeps = new Set(readDeps("./policy/package.json"));
const rootOnlyDeps = readDeps("./package.json").filter((name) => !packDeps.has(name));

export default tseslint.config(
    {
        // examples/ are separate projects, type-checked with their own tsconfig by .ci/consumer.
        ignores: ["node_modules/", "bin/", "dist/", "examples/", "policy/node_modules/", "eslint.config.mjs"],
    },
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
        // Imports point one way: a component takes shared helpers from components/internal/ (or
        // common.ts), never from a sibling component's file. Importing a sibling component class
        // to compose it as a child stays allowed.
        files: ["components/**/*.ts"],
        rules: {
            "no-restricted-imports": [
                "error",
                {
                    patterns: [
                        {
                            group: ["./monitoring", "../monitoring"],
                            importNames: [
                                "AlarmSeverity",
                                "AlarmSpec",
                                "DashboardWidget",
                                "createAlarm",
                                "metricWidget",
                            ],
                            message: "Alarm helpers live in components/internal/alarms.ts.",
                        },
                        {
                            group: ["./app-security-group", "../app-security-group"],
                            importNames: [
                                "ROLE_TAG",
                                "DataStoreSecurityGroup",
                                "DataStoreSecurityGroupArgs",
                                "createDataStoreSecurityGroup",
                            ],
                            message: "Security-group helpers live in components/internal/security-groups.ts.",
                        },
                        {
                            group: ["./secrets", "../secrets"],
                            importNames: ["secretName"],
                            message: "Naming helpers live in components/internal/naming.ts.",
                        },
                        {
                            group: ["./database", "../database", "./cache", "../cache"],
                            importNames: [
                                "DAILY_WINDOW",
                                "WEEKLY_WINDOW",
                                "SQL_NAME",
                                "POSTGRES_MAJOR_VERSIONS",
                                "GP3_IOPS",
                                "GP3_THROUGHPUT_MIBPS",
                                "GP3_PROVISIONING_MIN_GB",
                                "RDS_STORAGE_GB",
                                "minMaxAllocatedStorageGb",
                                "CACHE_ENGINES",
                                "CACHE_ENGINE_VERSIONS",
                                "CACHE_DEFAULT_VERSIONS",
                            ],
                            message: "Rules shared by config and components live in components/internal/rules.ts.",
                        },
                    ],
                },
            ],
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
            "no-restricted-imports": [
                "error",
                {
                    paths: rootOnlyDeps.map((name) => ({
                        name,
                        message: "not a dependency of policy/package.json, so the installed pack would not find it.",
                    })),
                    patterns: [
                        {
                            regex: "(^|/)\\.\\.(/|$)",
                            message:
                                "policy/ imports nothing outside policy/ (the pack is installed and started on its own); import downwards with ./",
                        },
                    ],
                },
            ],
        },
    },
    {
        files: ["test/**/*.ts"],
        rules: { "@typescript-eslint/no-unused-expressions": "off", "@typescript-eslint/no-non-null-assertion": "off" },
    },
);
