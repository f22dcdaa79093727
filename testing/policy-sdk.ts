/**
 * Loaded by `groundwork/testing/policy` before the runner: `@pulumi/policy` is an optional peer
 * dependency (only this entry needs it), so a project without it gets this message instead of a
 * bare "Cannot find module" from inside the runner.
 */
try {
    require.resolve("@pulumi/policy");
} catch {
    throw new Error(
        "groundwork/testing/policy needs @pulumi/policy, an optional peer dependency of groundwork: " +
            "npm install --save-dev @pulumi/policy@^1.21.0",
    );
}

export {};
