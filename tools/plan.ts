import * as fs from "fs";
import * as path from "path";
import { evaluatePolicies, formatPolicyReport, loadPolicyConfig, PolicyReport } from "../policy/runner";
import { ConfigError } from "../stacks/errors";
import { trimStackTraces, forgetProjectModules, runProgram } from "./harness";
import { MOCK_ACCOUNT_ID } from "./mocks";
import { PlanDocument, PlannedResource, UNKNOWN_SENTINEL } from "./plan-types";
import { readStackFile, StackFileError } from "./stack-file";

/**
 * The offline plan: `npm run plan -- --stack <name> [--json <file>] [--policy-config <file>]`.
 * Evaluates the real program with the real stack file under the Pulumi SDK's mock runtime, shows
 * every resource as `pulumi preview` would, runs the policy pack on them, and exits
 *   0 clean, 1 mandatory policy violations, 2 invalid config or usage, 3 the program failed.
 */

export const EXIT = { ok: 0, violations: 1, usage: 2, programFailed: 3 } as const;

export const ROOT = path.resolve(__dirname, "..");

const USAGE = "usage: npm run plan -- --stack <name> [--json <file>] [--policy-config <file>] [--first-preview]";

export const CANNOT_KNOW = [
    "What an offline plan cannot know:",
    `  - IDs, ARNs, endpoints and names above are mock values (account ${MOCK_ACCOUNT_ID}); AWS assigns the real ones at deployment.`,
    "  - Provider-side validation (quotas, instance class availability per region and engine version, name clashes,",
    "    IAM permissions of the deployer) happens only in `pulumi preview` / `pulumi up` against AWS.",
    "  - What already exists: every resource is shown as a create; a real preview diffs against the stack's state.",
    "  - Secret config values (`secure:`) are not decrypted; placeholders stand in for them.",
];

interface PlanArgs {
    stack: string;
    json?: string;
    policyConfig?: string;
    /** Evaluate as a first `pulumi preview` of a new stack sees it: values AWS computes are unknown. */
    firstPreview?: boolean;
}

export class UsageError extends Error {}

export function parseArgs(argv: string[]): PlanArgs {
    const args: Partial<PlanArgs> = {};
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        const value = argv[i + 1];
        const take = () => {
            if (value === undefined || value.startsWith("--")) {
                throw new UsageError(`${flag} needs a value; ${USAGE}`);
            }
            i++;
            return value;
        };
        if (flag === "--stack" || flag === "-s") {
            args.stack = take();
        } else if (flag === "--json") {
            args.json = take();
        } else if (flag === "--policy-config") {
            args.policyConfig = take();
        } else if (flag === "--first-preview") {
            args.firstPreview = true;
        } else if (flag.startsWith("--") && flag.includes("=")) {
            const [name, inline] = flag.split(/=(.*)/s);
            argv.splice(i + 1, 0, inline);
            argv[i] = name;
            i--;
        } else {
            throw new UsageError(`unknown argument ${JSON.stringify(flag)}; ${USAGE}`);
        }
    }
    if (!args.stack) {
        throw new UsageError(`--stack is required; ${USAGE}`);
    }
    return args as PlanArgs;
}

/** Renders the resource tree like `pulumi preview`: a header, then `+ type name`, children indented under their parent. */
export function formatTree(resources: PlannedResource[]): string[] {
    const children = new Map<string | undefined, PlannedResource[]>();
    for (const r of resources) {
        const list = children.get(r.parent) ?? [];
        list.push(r);
        children.set(r.parent, list);
    }
    const typeWidth = Math.min(70, Math.max(...resources.map((r) => r.type.length + 2 * depthOf(r, resources))) + 4);
    const lines: string[] = [`     ${"Type".padEnd(typeWidth)} Name`];
    const walk = (parent: string | undefined, prefix: string) => {
        const list = children.get(parent) ?? [];
        list.forEach((r, i) => {
            const last = i === list.length - 1;
            const branch = parent === undefined ? "" : last ? "└─ " : "├─ ";
            const flags = [r.options.protect ? "protected" : "", r.options.retainOnDelete ? "retain-on-delete" : ""].filter(Boolean);
            const label = `${prefix}${branch}${r.type}`;
            lines.push(` +   ${label.padEnd(typeWidth)} ${r.name}${flags.length ? `  [${flags.join(", ")}]` : ""}`);
            walk(r.urn, parent === undefined ? "" : prefix + (last ? "   " : "│  "));
        });
    };
    walk(undefined, "");
    return lines;
}

function depthOf(resource: PlannedResource, all: PlannedResource[]): number {
    let depth = 0;
    let parent = resource.parent;
    while (parent) {
        depth++;
        parent = all.find((r) => r.urn === parent)?.parent;
    }
    return depth;
}

function formatValue(value: unknown): string {
    const text = JSON.stringify(value).replace(new RegExp(`"${UNKNOWN_SENTINEL}"`, "g"), "output<unknown>");
    return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

export interface PlanResult {
    document: PlanDocument;
    report: PolicyReport;
    firstPreview: boolean;
}

/** Evaluates the stack; throws StackFileError / ConfigError / UsageError / anything the program throws. */
export async function plan(stack: string, policyConfigFile?: string, firstPreview = false): Promise<PlanResult> {
    const stackFile = readStackFile(ROOT, stack);
    const configFile = policyConfigFile ?? path.join(ROOT, "policy", `${stack}.json`);
    if (policyConfigFile && !fs.existsSync(policyConfigFile)) {
        throw new UsageError(`--policy-config ${policyConfigFile}: no such file`);
    }
    const policyConfig = fs.existsSync(configFile) ? loadPolicyConfig(configFile) : {};

    forgetProjectModules(ROOT);
    const result = await runProgram({
        project: stackFile.project,
        stack,
        config: stackFile.config,
        secretKeys: stackFile.secretKeys,
        firstPreview,
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        program: () => require(path.join(ROOT, "index.ts")),
    });
    const report = evaluatePolicies(result.resources, policyConfig, { stackName: stack });
    const document: PlanDocument = {
        project: stackFile.project,
        stack,
        resources: result.resources,
        outputs: result.outputs,
        policyViolations: report.violations,
    };
    return { document, report, firstPreview };
}

export function formatPlan(result: PlanResult): string {
    const { document, report } = result;
    const lines: string[] = [];
    lines.push(`Previewing stack ${document.project}/${document.stack} offline (Pulumi SDK mock runtime; no Pulumi CLI, no AWS)`);
    if (result.firstPreview) {
        lines.push("As a first preview of a new stack: IDs, ARNs, endpoints and AWS-assigned names are unknown (shown as output<unknown>).");
    }
    lines.push("");
    lines.push(...formatTree(document.resources));
    lines.push("", "Resources:", `    + ${document.resources.length} to create`, "", "By type:");
    const counts = new Map<string, number>();
    for (const r of document.resources) {
        counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    }
    for (const [type, count] of [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) {
        lines.push(`    ${String(count).padStart(4)}  ${type}`);
    }
    const protectedCount = document.resources.filter((r) => r.options.protect).length;
    lines.push(`    protected: ${protectedCount}`);
    lines.push("", result.firstPreview ? "Outputs (known values only; the rest AWS computes at creation):" : "Outputs (mock values computed offline, not by AWS):");
    for (const [key, value] of Object.entries(document.outputs).sort(([a], [b]) => a.localeCompare(b))) {
        lines.push(`    ${key}: ${formatValue(value)}`);
    }
    lines.push("", formatPolicyReport(report), "", ...CANNOT_KNOW);
    return lines.join("\n");
}

export async function main(argv: string[]): Promise<number> {
    let args: PlanArgs;
    try {
        args = parseArgs([...argv]);
    } catch (err) {
        console.error(`error: ${(err as Error).message}`);
        return EXIT.usage;
    }
    let result: PlanResult;
    try {
        result = await plan(args.stack, args.policyConfig, args.firstPreview);
    } catch (err) {
        if (ConfigError.isConfigError(err)) {
            console.error(err.problems.map((p) => `error: ${p.key}: ${p.message}`).join("\n"));
            return EXIT.usage;
        }
        if (err instanceof StackFileError || err instanceof UsageError || (err as Error)?.name === "PolicyConfigError") {
            console.error(`error: ${(err as Error).message}`);
            return EXIT.usage;
        }
        const message = err instanceof Error ? err.message : String(err);
        console.error(`error: the program failed: ${message}`);
        if (process.env.GROUNDWORK_DEBUG && err instanceof Error) {
            console.error(err.stack);
        }
        return EXIT.programFailed;
    }
    console.log(formatPlan(result));
    if (args.json) {
        fs.writeFileSync(args.json, `${JSON.stringify(result.document, null, 2)}\n`);
        console.log(`\nWrote the plan JSON to ${args.json}`);
    }
    return result.report.violations.some((v) => v.enforcementLevel === "mandatory") ? EXIT.violations : EXIT.ok;
}

if (require.main === module) {
    trimStackTraces();
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (err) => {
            console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
            process.exit(EXIT.programFailed);
        },
    );
}
