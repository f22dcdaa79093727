/**
 * One benchmark sample, in its own process: evaluates a target through the offline plan's
 * harness and policy pack, then prints `{ ms, maxRssMb, resources }` as JSON. The clock starts at
 * process start, so loading ts-node, the SDK and the provider modules is included.
 */
async function main(target: string): Promise<void> {
    // As the plan's own entry point does (see trimStackTraces).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require("./harness") as typeof import("./harness")).trimStackTraces();
    let resources = 0;
    if (target === "baseline") {
        // The same harness and policy evaluation around a one-resource program.
        /* eslint-disable @typescript-eslint/no-require-imports */
        const { runProgram } = require("./harness") as typeof import("./harness");
        const { evaluatePolicies } = require("../policy/runner") as typeof import("../policy/runner");
        const result = await runProgram({
            project: "groundwork",
            stack: "baseline",
            config: { "aws:region": "us-east-1" },
            program: () => {
                const sns = require("@pulumi/aws/sns") as typeof import("@pulumi/aws/sns");
                new sns.Topic("baseline");
            },
        });
        /* eslint-enable @typescript-eslint/no-require-imports */
        evaluatePolicies(result.resources, {}, { stackName: "baseline" });
        resources = result.resources.length;
    } else {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { plan } = require("./plan") as typeof import("./plan");
        const result = await plan(target);
        resources = result.document.resources.length;
    }
    const ms = process.uptime() * 1000;
    const maxRssMb = process.resourceUsage().maxRSS / 1024;
    console.log(JSON.stringify({ ms, maxRssMb, resources }));
}

main(process.argv[2] ?? "baseline").then(
    () => process.exit(0),
    (err) => {
        console.error(err);
        process.exit(1);
    },
);
