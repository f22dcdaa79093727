import * as fs from "fs";
import * as path from "path";
import { evaluatePolicies, formatPolicyReport, loadPolicyConfig, PolicyReport } from "../policy/runner";
import { ConfigError } from "../stacks/errors";
import { closest } from "../stacks/values";
import { DEFAULT_ASSUMPTIONS, estimateCost, loadPrices, regionOf, servicesAtFirstDeploy } from "./cost";
import { programEntryPoint } from "./entry-point";
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

const HELP = [
    USAGE,
    "",
    "Evaluates the program with Pulumi.yaml and Pulumi.<name>.yaml under the Pulumi SDK's mock runtime (no Pulumi CLI,",
    "no AWS), prints the resources as `pulumi preview` would, and runs the policy pack on them.",
    "",
    "  --stack, -s <name>       the stack: Pulumi.<name>.yaml (required)",
    "  --json <file>            also write the plan as JSON (see README: Plan JSON)",
    "  --policy-config <file>   the policy pack's config (default: policy/<name>.json when it exists)",
    "  --first-preview          as the first preview of a new stack sees it: values AWS computes are unknown",
    "  --help, -h               this help",
    "",
    "Relative paths are read from the directory the command was typed in.",
    "Exit codes: 0 clean, 1 mandatory policy violations, 2 invalid config or usage, 3 the program failed.",
].join("\n");

/** Lines the plan prints stay within this width (terminals, CI logs). */
export const MAX_WIDTH = 120;

export const CANNOT_KNOW = [
    "What an offline plan cannot know:",
    `  - IDs, ARNs, endpoints and names above are mock values (account ${MOCK_ACCOUNT_ID}); AWS assigns the real ones.`,
    "  - Provider-side validation (quotas, instance class availability per region and engine version, name clashes,",
    "    IAM permissions of the deployer) happens only in `pulumi preview` / `pulumi up` against AWS.",
    "  - What already exists: every resource is shown as a create; a real preview diffs against the stack's state.",
    "  - Secret config values (`secure:`) are not decrypted; placeholders stand in for them.",
    "  - Engine-side options (`transforms`, resource hooks) do not run offline; the program is loaded with sucrase,",
    "    `pulumi up` loads it with ts-node. README: What the offline plan cannot know.",
];

interface PlanArgs {
    stack: string;
    json?: string;
    policyConfig?: string;
    /** Evaluate as a first `pulumi preview` of a new stack sees it: values AWS computes are unknown. */
    firstPreview?: boolean;
    /** `--help`: print the usage and exit 0. */
    help?: boolean;
}

export class UsageError extends Error {}

const FLAGS = ["--stack", "-s", "--json", "--policy-config", "--first-preview", "--help", "-h"];

/**
 * Flags npm takes as its own config when `--` is missing (`npm run plan --stack dev`): npm sets
 * `npm_config_stack=true` and hands the script `dev` as a bare argument.
 */
const NPM_SWALLOWED = ["stack", "json", "policy_config", "first_preview"];

/** `env` is the process environment, to recognize what npm swallowed. */
export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = {}): PlanArgs {
    const args: Partial<PlanArgs> = {};
    const positional: string[] = [];
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        const value = argv[i + 1];
        const take = () => {
            if (value === undefined || value.startsWith("-")) {
                throw new UsageError(`${flag} needs a value`);
            }
            i++;
            return value;
        };
        if (flag === "--help" || flag === "-h") {
            args.help = true;
        } else if (flag === "--stack" || flag === "-s") {
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
        } else if (!flag.startsWith("-")) {
            positional.push(flag);
        } else {
            const hint = closest(flag, FLAGS);
            throw new UsageError(`unknown argument ${JSON.stringify(flag)}${hint ? `; did you mean ${hint}?` : ""}`);
        }
    }
    if (args.help) {
        return { ...args, stack: args.stack ?? "" } as PlanArgs;
    }
    const swallowed = NPM_SWALLOWED.filter(
        (name) => env[`npm_config_${name}`] !== undefined && env[`npm_config_${name}`] !== "",
    );
    if (!args.stack && swallowed.length > 0) {
        const flags = swallowed.map((name) => `--${name.replace(/_/g, "-")}`).join(", ");
        throw new UsageError(
            `did you forget \`--\`? npm took ${flags} as its own option; run \`npm run plan -- --stack ${positional[0] ?? "dev"}\``,
        );
    }
    if (positional.length > 0) {
        const hint = args.stack ? "" : `; did you mean --stack ${positional[0]}?`;
        throw new UsageError(`unknown argument ${JSON.stringify(positional[0])}${hint}`);
    }
    if (!args.stack) {
        throw new UsageError("--stack is required");
    }
    return args as PlanArgs;
}

/**
 * A path the user typed, resolved from the directory they typed the command in: npm runs scripts
 * in the package root and records the caller's directory in INIT_CWD.
 */
export function userPath(file: string, env: NodeJS.ProcessEnv = process.env): string {
    return path.resolve(env.INIT_CWD || process.cwd(), file);
}

/** Why the plan JSON cannot be written to `file`, checked before planning; undefined when it can. */
export function unwritable(file: string): string | undefined {
    const dir = path.dirname(file);
    if (fs.existsSync(file)) {
        if (fs.statSync(file).isDirectory()) {
            return "is a directory";
        }
        try {
            fs.accessSync(file, fs.constants.W_OK);
        } catch {
            return "is not writable";
        }
        return undefined;
    }
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
        return `cannot be written: no directory ${dir}`;
    }
    try {
        fs.accessSync(dir, fs.constants.W_OK);
    } catch {
        return `cannot be written: directory ${dir} is not writable`;
    }
    return undefined;
}

/**
 * The type as `pulumi preview` names it when columns are short: `aws:s3/bucketPolicy:BucketPolicy`
 * → `aws:s3:BucketPolicy` (the module path and the resource name say the same thing twice).
 */
function shortType(type: string): string {
    const match = /^([^:]+):([^/:]+)\/[^:]+:([^:]+)$/.exec(type);
    return match ? `${match[1]}:${match[2]}:${match[3]}` : type;
}

/** Renders the resource tree like `pulumi preview`: a header, then `+ type name`, children indented under their parent. */
export function formatTree(resources: PlannedResource[]): string[] {
    const children = new Map<string | undefined, PlannedResource[]>();
    for (const r of resources) {
        const list = children.get(r.parent) ?? [];
        list.push(r);
        children.set(r.parent, list);
    }
    // Long type tokens are shortened so that type, name and flags share one line of MAX_WIDTH.
    const typeWidth = Math.min(56, Math.max(...resources.map((r) => r.type.length + 3 * depthOf(r, resources))) + 2);
    const lines: string[] = [`     ${"Type".padEnd(typeWidth)} Name`];
    const walk = (parent: string | undefined, prefix: string) => {
        const list = children.get(parent) ?? [];
        list.forEach((r, i) => {
            const last = i === list.length - 1;
            const branch = parent === undefined ? "" : last ? "└─ " : "├─ ";
            const flags = [
                r.options.protect ? "protected" : "",
                r.options.retainOnDelete ? "retain-on-delete" : "",
            ].filter(Boolean);
            const full = `${prefix}${branch}${r.type}`;
            const label = full.length <= typeWidth ? full : `${prefix}${branch}${shortType(r.type)}`;
            const line = ` +   ${label.padEnd(typeWidth)} ${r.name}`;
            const flagText = flags.length ? `  [${flags.join(", ")}]` : "";
            if ((line + flagText).length <= MAX_WIDTH) {
                lines.push(line + flagText);
            } else {
                lines.push(line, `${" ".repeat(6 + typeWidth)}[${flags.join(", ")}]`);
            }
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

function formatValue(value: unknown, width: number): string {
    const text = JSON.stringify(value).replace(new RegExp(`"${UNKNOWN_SENTINEL}"`, "g"), "output<unknown>");
    return text.length > width ? `${text.slice(0, width - 3)}...` : text;
}

/** Wraps a line longer than MAX_WIDTH at spaces, continuing under its own indentation (+2). */
export function wrapLine(line: string): string[] {
    if (line.length <= MAX_WIDTH) {
        return [line];
    }
    const indent = " ".repeat((/^ */.exec(line)?.[0].length ?? 0) + 2);
    const out: string[] = [];
    let rest = line;
    while (rest.length > MAX_WIDTH) {
        const cut = rest.lastIndexOf(" ", MAX_WIDTH);
        if (cut <= indent.length) {
            break; // one word longer than the line: leave it whole rather than split a URN or ARN
        }
        out.push(rest.slice(0, cut));
        rest = indent + rest.slice(cut + 1).trimStart();
    }
    out.push(rest);
    return out;
}

/** The plan's mode, as `pulumi preview` would run it: a stack with state, or the first preview of a new one. */
export type PlanMode = "preview" | "first-preview";

/**
 * The monthly cost of the planned resources (tools/cost.ts on the same resources, default usage
 * assumptions): an estimate from a dated price table, not a bill.
 */
export interface PlanCostEstimate {
    currency: "USD";
    /** The date the price table was checked. */
    pricesChecked: string;
    region: string;
    /** USD per month, rounded to cents. */
    totalFixed: number;
    totalUsage: number;
    totalWithUsage: number;
    /** Resources that may cost money but have no price in the table (not in the totals). */
    notPriced: number;
    /** Services planned as a first deploy (no image tag yet): no task runs, so they add nothing here. */
    servicesAtFirstDeploy: string[];
}

/** The plan JSON: the document the policy CLI reads, plus how it was made. */
export interface PlanJson extends PlanDocument {
    mode: PlanMode;
    /** The policy config the pack ran with (relative to the project when inside it), or null for none. */
    policyConfig: string | null;
    costEstimate: PlanCostEstimate;
}

const cents = (n: number) => Math.round(n * 100) / 100;

/** Prices the planned resources with tools/cost.ts: no second evaluation of the program. */
export function planCostEstimate(resources: PlannedResource[]): PlanCostEstimate {
    const prices = loadPrices();
    const estimate = estimateCost(resources, prices, DEFAULT_ASSUMPTIONS, regionOf(resources));
    return {
        currency: "USD",
        pricesChecked: estimate.pricesChecked,
        region: estimate.region,
        totalFixed: cents(estimate.totalFixed),
        totalUsage: cents(estimate.totalUsage),
        totalWithUsage: cents(estimate.totalWithUsage),
        notPriced: estimate.notPriced.length,
        servicesAtFirstDeploy: servicesAtFirstDeploy(resources),
    };
}

/** The plan's cost lines, printed just above the verdict. */
export function formatPlanCost(cost: PlanCostEstimate, stack: string): string[] {
    const money = (n: number) => `$${n.toFixed(2)}`;
    const lines = [
        `Cost estimate (not a bill): ${money(cost.totalFixed)} / month fixed, ${money(cost.totalWithUsage)} / month with usage`,
        `    from us-east-1 list prices checked ${cost.pricesChecked} (tools/prices/us-east-1.json${cost.region === "us-east-1" ? "" : `, × the ${cost.region} multiplier`}) and default usage assumptions;`,
        `    per component and type: npm run cost -- --stack ${stack}`,
    ];
    if (cost.servicesAtFirstDeploy.length > 0) {
        lines.push(
            `    ${cost.servicesAtFirstDeploy.join(", ")}: no image tag yet: no task runs, none is priced here (npm run cost prices them as deployed).`,
        );
    }
    if (cost.notPriced > 0) {
        lines.push(`    ${cost.notPriced} resource(s) have no price in the table and are not counted.`);
    }
    return lines;
}

export interface PlanResult {
    document: PlanJson;
    report: PolicyReport;
    firstPreview: boolean;
    /** What the stack reader could not do as the CLI does. */
    notes: string[];
}

/** A path as the plan shows it: relative to the project when inside it. */
function shownPath(file: string): string {
    const relative = path.relative(ROOT, file);
    return relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
}

/**
 * Evaluates the stack; throws StackFileError / ConfigError / UsageError / anything the program throws.
 * `configOverrides` (project keys to values, objects merged into the stack file's) evaluates the
 * stack as if they were set: the cost estimate plans services as the pipeline deploys them.
 */
export async function plan(
    stack: string,
    policyConfigFile?: string,
    firstPreview = false,
    configOverrides: Record<string, Record<string, unknown>> = {},
): Promise<PlanResult> {
    const stackFile = readStackFile(ROOT, stack);
    for (const [key, value] of Object.entries(configOverrides)) {
        const current = stackFile.config[key] === undefined ? {} : (JSON.parse(stackFile.config[key]) as object);
        stackFile.config[key] = JSON.stringify({ ...current, ...value });
    }
    if (policyConfigFile && !fs.existsSync(policyConfigFile)) {
        throw new UsageError(`--policy-config ${policyConfigFile}: no such file`);
    }
    const defaultConfig = path.join(ROOT, "policy", `${stack}.json`);
    const configFile = policyConfigFile ?? (fs.existsSync(defaultConfig) ? defaultConfig : undefined);
    const policyConfig = configFile ? loadPolicyConfig(configFile) : {};

    forgetProjectModules(ROOT);
    const result = await runProgram({
        project: stackFile.project,
        stack,
        config: stackFile.config,
        secretKeys: stackFile.secretKeys,
        firstPreview,
        // The file `pulumi up` would run: Pulumi.yaml's `main`, else package.json (tools/entry-point.ts).
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        program: () => require(programEntryPoint(ROOT)),
    });
    const report = evaluatePolicies(result.resources, policyConfig, { stackName: stack });
    const document: PlanJson = {
        project: stackFile.project,
        stack,
        mode: firstPreview ? "first-preview" : "preview",
        policyConfig: configFile ? shownPath(configFile) : null,
        resources: result.resources,
        outputs: result.outputs,
        policyViolations: report.violations,
        costEstimate: planCostEstimate(result.resources),
    };
    return { document, report, firstPreview, notes: stackFile.notes };
}

/** The plan's last line: what a CI log or a human reads first. */
export function verdict(result: PlanResult): string {
    const count = result.document.resources.length;
    const mandatory = result.report.violations.filter((v) => v.enforcementLevel === "mandatory");
    const noun = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
    if (mandatory.length === 0) {
        return `Plan: ${noun(count, "resource")}, 0 mandatory violations — OK`;
    }
    const policies = [...new Set(mandatory.map((v) => v.policyName))];
    return `FAILED: ${noun(mandatory.length, "mandatory violation")} (${policies.join(", ")}) in ${noun(count, "resource")}`;
}

export function formatPlan(result: PlanResult, jsonFile?: string): string {
    const { document, report } = result;
    const lines: string[] = [];
    lines.push(
        `Previewing stack ${document.project}/${document.stack} offline (Pulumi SDK mock runtime; no Pulumi CLI, no AWS)`,
    );
    if (result.firstPreview) {
        lines.push(
            "As a first preview of a new stack: IDs, ARNs, endpoints and AWS-assigned names are unknown (output<unknown>).",
        );
    }
    lines.push(...result.notes.map((note) => `Note: ${note}`));
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
    lines.push(
        "",
        result.firstPreview
            ? "Outputs (known values only; the rest AWS computes at creation):"
            : "Outputs (mock values computed offline, not by AWS):",
    );
    for (const [key, value] of Object.entries(document.outputs).sort(([a], [b]) => a.localeCompare(b))) {
        lines.push(`    ${key}: ${formatValue(value, MAX_WIDTH - key.length - 6)}`);
    }
    lines.push("", `Policy config: ${document.policyConfig ?? "none (each policy's defaults)"}`);
    lines.push(formatPolicyReport(report).trimEnd(), "", ...CANNOT_KNOW);
    if (jsonFile) {
        lines.push("", `Wrote the plan JSON to ${jsonFile}`);
    }
    lines.push("", ...formatPlanCost(document.costEstimate, document.stack), "", verdict(result));
    return lines
        .flatMap((line) => line.split("\n"))
        .flatMap(wrapLine)
        .join("\n");
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
    let args: PlanArgs;
    try {
        args = parseArgs([...argv], env);
    } catch (err) {
        // The usage on a line of its own keeps both within the plan's 120 columns.
        console.error(`error: ${(err as Error).message}`);
        if (!(err as Error).message.startsWith("did you forget")) {
            console.error(USAGE);
        }
        return EXIT.usage;
    }
    if (args.help) {
        console.log(HELP);
        return EXIT.ok;
    }
    const jsonFile = args.json === undefined ? undefined : userPath(args.json, env);
    const problem = jsonFile === undefined ? undefined : unwritable(jsonFile);
    if (problem) {
        console.error(`error: --json ${args.json}: ${problem}`);
        return EXIT.usage;
    }
    let result: PlanResult;
    try {
        result = await plan(
            args.stack,
            args.policyConfig === undefined ? undefined : userPath(args.policyConfig, env),
            args.firstPreview,
        );
    } catch (err) {
        if (ConfigError.isConfigError(err)) {
            console.error(err.problems.map((p) => `error: ${p.key}: ${p.message}`).join("\n"));
            return EXIT.usage;
        }
        if (
            err instanceof StackFileError ||
            err instanceof UsageError ||
            (err as Error)?.name === "PolicyConfigError"
        ) {
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
    if (jsonFile) {
        fs.writeFileSync(jsonFile, `${JSON.stringify(result.document, null, 2)}\n`);
    }
    console.log(formatPlan(result, jsonFile === undefined ? undefined : args.json));
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
