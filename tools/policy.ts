/**
 * Offline counterpart of `pulumi policy analyze`: runs the Groundwork policy pack over an offline plan.
 *
 *   npm run policy -- --plan <plan.json> [--config <file>] [--json <file>]
 *
 * Config defaults to policy/<stack>.json (stack from the plan) when that file exists.
 * Exit codes: 0 no mandatory violation, 1 mandatory violation(s), 2 bad input (one line on stderr).
 */
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import {
    evaluatePolicies,
    formatPolicyReport,
    loadPolicyConfig,
    PlanInputError,
    PolicyConfigError,
    PolicyPackConfig,
} from "../policy/runner";
import type { PlanDocument } from "./plan-types";

const USAGE = "usage: policy --plan <plan.json> [--config <policy-config.json>] [--json <report.json>]";

/** A bad invocation or input: printed as one line, exit 2. */
class InputError extends Error {}

/** Go duration strings as the engine accepts them in customTimeouts ("10m", "1h30m", "90s"). */
const duration = z.string().regex(/^(([0-9]*\.?[0-9]+(ns|us|µs|ms|s|m|h))+|0|)$/, 'expected a duration such as "10m"');

const plannedResource = z.object({
    urn: z.string().min(1),
    type: z.string().min(1),
    name: z.string(),
    parent: z.string().optional(),
    custom: z.boolean(),
    props: z.record(z.string(), z.unknown()),
    options: z.object({
        protect: z.boolean(),
        retainOnDelete: z.boolean(),
        ignoreChanges: z.array(z.string()),
        deleteBeforeReplace: z.boolean(),
        provider: z.string().optional(),
        aliases: z.array(z.string()),
        additionalSecretOutputs: z.array(z.string()),
        replaceOnChanges: z.array(z.string()),
        customTimeouts: z.object({
            create: duration.optional(),
            update: duration.optional(),
            delete: duration.optional(),
        }),
    }),
    dependencies: z.array(z.string()),
    propertyDependencies: z.record(z.string(), z.array(z.string())),
});

const planDocument = z
    .object({
        project: z.string().min(1),
        stack: z.string().min(1),
        resources: z.array(plannedResource),
        // Written by the plan tool; not needed here, so a plan without them is still analyzable.
        outputs: z.record(z.string(), z.unknown()).optional(),
        policyViolations: z.array(z.unknown()).optional(),
    })
    .superRefine((plan, ctx) => {
        const seen = new Set<string>();
        plan.resources.forEach((r, i) => {
            if (seen.has(r.urn)) {
                ctx.addIssue({ code: "custom", path: ["resources", i, "urn"], message: `duplicate URN ${r.urn}` });
            }
            seen.add(r.urn);
        });
    });

function issuePath(p: readonly PropertyKey[]): string {
    return p.reduce<string>(
        (acc, k) => (typeof k === "number" ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)),
        "",
    );
}

interface Args {
    plan: string;
    config?: string;
    json?: string;
}

function parseArgs(argv: string[]): Args {
    const out: Partial<Args> = {};
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        const key = ({ "--plan": "plan", "--config": "config", "--json": "json" } as const)[flag as "--plan"];
        if (!key) {
            throw new InputError(`unknown argument ${JSON.stringify(flag)}; ${USAGE}`);
        }
        const value = argv[++i];
        if (value === undefined || value.startsWith("--")) {
            throw new InputError(`${flag} needs a file; ${USAGE}`);
        }
        out[key] = value;
    }
    if (!out.plan) {
        throw new InputError(`--plan is required; ${USAGE}`);
    }
    return out as Args;
}

function readPlan(file: string): PlanDocument {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new InputError(`cannot read plan ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch (e) {
        throw new InputError(`plan ${file} is not valid JSON: ${(e as Error).message}`);
    }
    const result = planDocument.safeParse(json);
    if (!result.success) {
        const issue = result.error.issues[0];
        const where = issuePath(issue.path);
        throw new InputError(`plan ${file} is not a Groundwork plan: ${where ? `${where}: ` : ""}${issue.message}`);
    }
    return result.data as PlanDocument;
}

/** policy/<stack>.json for a plain stack name (an org/project/stack path uses its last part). */
function defaultConfigFile(stack: string): string | undefined {
    const name = stack.split("/").pop() ?? "";
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(name)) {
        return undefined;
    }
    const file = path.resolve(__dirname, "..", "policy", `${name}.json`);
    return fs.existsSync(file) ? file : undefined;
}

function main(argv: string[]): number {
    const args = parseArgs(argv);
    const plan = readPlan(args.plan);
    const configFile = args.config ?? defaultConfigFile(plan.stack);
    const config: PolicyPackConfig = configFile ? loadPolicyConfig(configFile) : {};
    const report = evaluatePolicies(plan.resources, config, { stackName: plan.stack });
    process.stdout.write(formatPolicyReport(report));
    if (args.json) {
        try {
            fs.writeFileSync(
                args.json,
                JSON.stringify(
                    {
                        pack: report.pack,
                        policies: report.policies,
                        violations: report.violations,
                        config: report.config,
                    },
                    null,
                    2,
                ) + "\n",
            );
        } catch (e) {
            throw new InputError(`cannot write ${args.json}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
        }
    }
    return report.violations.some((v) => v.enforcementLevel === "mandatory") ? 1 : 0;
}

try {
    process.exitCode = main(process.argv.slice(2));
} catch (e) {
    const known = e instanceof InputError || e instanceof PolicyConfigError || e instanceof PlanInputError;
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`policy: ${known ? "" : "internal error: "}${message.split("\n")[0]}\n`);
    process.exitCode = 2;
}
