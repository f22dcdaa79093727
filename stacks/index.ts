import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { SubnetLayout, SubnetLayoutError, defaultSubnetLayout, validateSubnetLayout } from "../components/subnets";
import { AuditConfig, resolveAuditConfig } from "./audit";
import { DataConfig, resolveDataConfig } from "./data";
import { EdgeConfig, resolveEdgeConfig } from "./edge";
import { IdentityConfig, resolveIdentityConfig } from "./identity";
import { ServicesConfig, resolveServicesConfig } from "./services";
import { ConfigError, ConfigProblem } from "./errors";
import { Environment, NatStrategy, RawConfig, STRING_KEYS, rawConfigSchema } from "./schema";
import { closest, isSecurePlaceholder, regionProblem } from "./values";

export { ConfigError } from "./errors";
export type { ConfigProblem } from "./errors";
export * from "./schema";
export * from "./data";
export * from "./services";
export * from "./edge";
export * from "./identity";
export * from "./audit";
export { PROVIDER_REGIONS, SECURE_PLACEHOLDER, SUPPORTED_REGIONS } from "./values";

/** The config namespace of this project (the Pulumi project name). */
export const NAMESPACE = "groundwork";

/** The fully resolved stack config: every default applied, every cross-field rule checked. */
export interface StackConfig extends DataConfig, ServicesConfig, EdgeConfig, IdentityConfig {
    environment: Environment;
    /** AWS region, from `aws:region`. */
    region: string;
    /** Protect stateful resources (`protect: true`): on in prod, so nothing deletes data by accident. */
    protect: boolean;
    /** Tags on every taggable resource (through the provider's `defaultTags`). */
    tags: Record<string, string>;
    network: NetworkConfig;
    alarms: AlarmsConfig;
    secrets: SecretsConfig;
    audit: AuditConfig;
}

export interface SecretsConfig {
    /** Names of the third-party API key secrets (placeholders until operators set them). */
    thirdPartyKeys: string[];
}

export interface NetworkConfig {
    vpcCidr: string;
    /** Explicit AZ names; undefined means "the first `azCount` available AZs". */
    availabilityZones?: string[];
    azCount: number;
    subnets: SubnetLayout;
    natGateways: NatStrategy;
    /** Interface endpoints by service name (`ecr.api`, …), in the private subnets. */
    interfaceEndpoints: string[];
    flowLogRetentionDays: number;
}

export interface AlarmsConfig {
    /** Subscribed to both routes. */
    emails: string[];
    /** Subscribed to the critical route only. */
    criticalEmails: string[];
    /** HTTPS webhook on the critical route; the program passes it on as a secret. */
    webhookUrl?: string;
    webhookAutoConfirms: boolean;
    /** The monthly budget; undefined when `alarms.budget.enabled` is false. */
    budget?: { monthlyUsd: number; forecastPercent: number };
}

/** What changes between tiers. One place decides; components only take the resulting values. */
export const TIER_DEFAULTS: Record<
    Environment,
    {
        natGateways: NatStrategy;
        interfaceEndpoints: string[];
        flowLogRetentionDays: number;
        protect: boolean;
        budgetMonthlyUsd: number;
    }
> = {
    // Dev keeps a NAT gateway (`instance` saves ≈ $29/month; README: Cost levers). Neither tier has
    // interface endpoints: at $14.60/month each over two AZs they pay off only above ≈ 417 GB/month
    // of one service's traffic, and ECR's image layers already bypass NAT through the S3 endpoint.
    // Budgets: `npm run cost` with the default usage said dev ≈ $129 and prod ≈ $374 a month when
    // these were set; the margin (~35 %) absorbs usage above the assumptions before the 100 %
    // alert. test/cost.test.ts fails when an estimate outgrows its tier's budget.
    dev: {
        natGateways: "single",
        interfaceEndpoints: [],
        flowLogRetentionDays: 30,
        protect: false,
        budgetMonthlyUsd: 175,
    },
    prod: {
        natGateways: "perAz",
        interfaceEndpoints: [],
        flowLogRetentionDays: 365,
        protect: true,
        budgetMonthlyUsd: 500,
    },
};

export const DEFAULT_VPC_CIDR = "10.0.0.0/16";
export const DEFAULT_AZ_COUNT = 2;

/** Keys that decide which resources exist: the offline plan cannot plan with an undecryptable value there. */
const STRUCTURAL_KEYS =
    /^(environment|network(\.|\[|$)|secrets\.thirdPartyKeys|cache\.engine$|cluster|deploy|imageTags|services(?!\.[^.]+\.environment\.)|dns|edge\.(cdn|waf|albScheme|routes)|auth\.(enabled|backendClient|customDomain)|mail\.enabled|audit\.trail)/;

/**
 * Validates and resolves the stack config from the raw key/value map the Pulumi runtime holds
 * (`groundwork:network` → its JSON text). Pure: tests call it with plain maps. Throws a
 * {@link ConfigError} listing every problem, each naming its key.
 */
export function loadStackConfig(values: Record<string, string>, stack: string, project = NAMESPACE): StackConfig {
    const problems: ConfigProblem[] = [];
    const region = values["aws:region"];
    const badRegion = region === undefined || region === "" ? "is required (e.g. us-east-1)" : regionProblem(region);
    if (badRegion) {
        problems.push({ key: "aws:region", message: badRegion });
    }

    const raw: Record<string, unknown> = {};
    for (const [fullKey, text] of Object.entries(values)) {
        if (!fullKey.startsWith(`${NAMESPACE}:`)) {
            continue;
        }
        const key = fullKey.slice(NAMESPACE.length + 1);
        if (STRING_KEYS.has(key)) {
            // "" is how Pulumi.yaml declares an optional string key (a `default` keeps the CLI from
            // requiring it), so it means "not set"; a missing environment is reported as such.
            if (text !== "") {
                raw[key] = text;
            }
            continue;
        }
        try {
            raw[key] = JSON.parse(text);
        } catch {
            // A plain word where an object is expected; the schema reports its type.
            raw[key] = text;
        }
    }

    const parsed = rawConfigSchema.safeParse(raw, { reportInput: true });
    // A value's format is checked on the decrypted value by `pulumi up`; the offline reader's
    // placeholder for a `secure:` value is not that value. Its type still counts: a secure leaf
    // decrypts to a string, so a number or list expected there fails for real too.
    const issues = parsed.success
        ? []
        : parsed.error.issues.filter((issue) => issue.code === "invalid_type" || !isSecurePlaceholder(issue.input));
    problems.push(...issues.map(describeIssue), ...placeholderProblems(raw));
    if (problems.length > 0) {
        throw new ConfigError(problems);
    }
    // Only placeholder format checks failed: the input is otherwise what the schema describes.
    const data = parsed.success ? parsed.data : (raw as RawConfig);
    return resolve(data, region, stack, project, raw);
}

/**
 * Secure values where a key decides which resources exist: `pulumi preview` decrypts them, the
 * offline plan cannot, and planning with a placeholder there would show resources that do not exist.
 */
function placeholderProblems(raw: Record<string, unknown>): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const walk = (value: unknown, key: string) => {
        if (isSecurePlaceholder(value) && STRUCTURAL_KEYS.test(key)) {
            problems.push({
                key: `${NAMESPACE}:${key}`,
                message:
                    "is a secure value, which the offline plan cannot decrypt, and it decides which resources exist; plan it with `pulumi preview`",
            });
        } else if (Array.isArray(value)) {
            value.forEach((item, i) => walk(item, `${key}[${i}]`));
        } else if (typeof value === "object" && value !== null) {
            Object.entries(value).forEach(([k, v]) => walk(v, `${key}.${k}`));
        }
    };
    Object.entries(raw).forEach(([key, value]) => walk(value, key));
    return problems;
}

/** The raw value at a problem's key (`groundwork:storage.corsOrigins[1]`), to skip checks of secure placeholders. */
function valueAt(raw: Record<string, unknown>, key: string): unknown {
    const parts = key.slice(NAMESPACE.length + 1).match(/[^.[\]]+/g) ?? [];
    let value: unknown = raw;
    for (const part of parts) {
        value = typeof value === "object" && value !== null ? (value as Record<string, unknown>)[part] : undefined;
    }
    return value;
}

/** Reads the stack config from the running Pulumi program (`pulumi up`, the offline plan, tests). */
export function readStackConfig(): StackConfig {
    return loadStackConfig(pulumi.runtime.allConfig(), pulumi.getStack(), pulumi.getProject());
}

function resolve(
    raw: RawConfig,
    region: string,
    stack: string,
    project: string,
    input: Record<string, unknown>,
): StackConfig {
    const tier = TIER_DEFAULTS[raw.environment];
    const network = raw.network ?? {};
    const vpcCidr = network.vpcCidr ?? DEFAULT_VPC_CIDR;
    const problems: ConfigProblem[] = [];
    const key = (field: string) => `${NAMESPACE}:network.${field}`;

    if (
        network.availabilityZones &&
        network.azCount !== undefined &&
        network.availabilityZones.length !== network.azCount
    ) {
        problems.push({
            key: key("azCount"),
            message: `is ${network.azCount} but network.availabilityZones lists ${network.availabilityZones.length}; set one or make them agree`,
        });
    }
    const badAz = network.availabilityZones?.findIndex((az) => !az.startsWith(region));
    if (network.availabilityZones && badAz !== undefined && badAz >= 0) {
        problems.push({
            key: key(`availabilityZones[${badAz}]`),
            message: `${JSON.stringify(network.availabilityZones[badAz])} is not in region ${region}`,
        });
    }
    const azCount = network.availabilityZones?.length ?? network.azCount ?? DEFAULT_AZ_COUNT;

    let subnets: SubnetLayout = { public: [], private: [], isolated: [] };
    try {
        subnets = network.subnets ?? defaultSubnetLayout(vpcCidr, azCount);
        validateSubnetLayout(vpcCidr, azCount, subnets);
    } catch (err) {
        if (!(err instanceof SubnetLayoutError)) {
            throw err;
        }
        problems.push({ key: key(err.field), message: err.message });
    }

    const natGateways = network.natGateways ?? tier.natGateways;
    if (raw.environment === "prod" && natGateways === "instance") {
        problems.push({
            key: key("natGateways"),
            message:
                '"instance" is refused in prod: one NAT instance is a single point of failure for every private subnet\'s egress and is ours to patch; use perAz (or single)',
        });
    }

    const emails = raw.alarms?.emails ?? [];
    if (raw.environment === "prod" && emails.length === 0) {
        problems.push({
            key: `${NAMESPACE}:alarms.emails`,
            message: "is empty; prod needs at least one address so that alarms reach someone",
        });
    }
    const drRegion = raw.database?.drRegion;
    if (drRegion !== undefined && drRegion === region) {
        problems.push({
            key: `${NAMESPACE}:database.drRegion`,
            message: `${JSON.stringify(drRegion)} is the stack's own region (aws:region); backups for disaster recovery must be copied to another region`,
        });
    }
    const data = resolveDataConfig(raw, raw.environment);
    problems.push(...data.problems);
    const app = resolveServicesConfig(raw, raw.environment, raw.secrets?.thirdPartyKeys ?? []);
    problems.push(...app.problems);
    const edge = resolveEdgeConfig(raw, raw.environment, Object.keys(app.config.services));
    problems.push(...edge.problems);
    const identity = resolveIdentityConfig(raw, raw.environment, edge.config.dns, project, stack);
    problems.push(...identity.problems);
    const audit = resolveAuditConfig(raw, raw.environment);
    problems.push(...audit.problems);
    // Cross-field checks of a secure placeholder are checks of text that is not the value.
    const real = problems.filter((p) => !isSecurePlaceholder(valueAt(input, p.key)));
    if (real.length > 0) {
        throw new ConfigError(real);
    }

    const tags: Record<string, string> = {
        project,
        stack,
        environment: raw.environment,
        "managed-by": "pulumi",
    };
    if (raw.owner) {
        tags.owner = raw.owner;
    }
    if (raw.costCentre) {
        tags["cost-centre"] = raw.costCentre;
    }

    return {
        environment: raw.environment,
        region,
        protect: tier.protect,
        tags,
        network: {
            vpcCidr,
            availabilityZones: network.availabilityZones,
            azCount,
            subnets,
            natGateways,
            interfaceEndpoints: network.interfaceEndpoints ?? tier.interfaceEndpoints,
            flowLogRetentionDays: network.flowLogRetentionDays ?? tier.flowLogRetentionDays,
        },
        alarms: {
            emails,
            criticalEmails: raw.alarms?.criticalEmails ?? [],
            webhookUrl: raw.alarms?.webhookUrl,
            webhookAutoConfirms: raw.alarms?.webhookAutoConfirms ?? false,
            budget:
                raw.alarms?.budget?.enabled === false
                    ? undefined
                    : {
                          monthlyUsd: raw.alarms?.budget?.monthlyUsd ?? tier.budgetMonthlyUsd,
                          forecastPercent: raw.alarms?.budget?.forecastPercent ?? 80,
                      },
        },
        secrets: { thirdPartyKeys: raw.secrets?.thirdPartyKeys ?? [] },
        ...data.config,
        ...app.config,
        ...edge.config,
        ...identity.config,
        ...audit.config,
    };
}

/** Keys whose values may hold a credential and are never repeated in an error. */
const UNECHOED_KEYS: ReadonlySet<string> = new Set([`${NAMESPACE}:alarms.webhookUrl`]);

/** Turns one zod issue into `groundwork:<key>: <value> <what is wrong and what is allowed>`. */
function describeIssue(issue: z.core.$ZodIssue): ConfigProblem {
    const [top, ...rest] = issue.path.map(String);
    let key = `${NAMESPACE}:${top ?? ""}`;
    for (const part of rest) {
        key += /^\d+$/.test(part) ? `[${part}]` : `.${part}`;
    }
    // A webhook URL may carry a token: errors name its key, never echo its value.
    const shown =
        "input" in issue && issue.input !== undefined && !UNECHOED_KEYS.has(key)
            ? `${JSON.stringify(issue.input)} `
            : "";
    switch (issue.code) {
        case "invalid_type":
            if (issue.input === undefined) {
                return { key, message: `is required (${article(issue.expected)})` };
            }
            return { key, message: `${shown}must be ${article(issue.expected)}, not ${describeType(issue.input)}` };
        case "invalid_value":
            if (issue.input === undefined) {
                return { key, message: `is required; use one of: ${issue.values.map(String).join(", ")}` };
            }
            return { key, message: `${shown}is not allowed; use one of: ${issue.values.map(String).join(", ")}` };
        case "unrecognized_keys": {
            // Name the first unknown key itself, so the line points at what to fix.
            const where = key.endsWith(":") ? `${key}${issue.keys[0]}` : `${key}.${issue.keys[0]}`;
            const more = issue.keys.length > 1 ? ` (also ${issue.keys.slice(1).join(", ")})` : "";
            const known = knownKeysAt(issue.path.map(String));
            const hint = closest(issue.keys[0], known);
            return {
                key: where,
                message: `is not a known config key${more}; ${hint ? `did you mean ${hint}? ` : ""}known here: ${known.join(", ")}`,
            };
        }
        case "too_small":
        case "too_big": {
            const bound = issue.code === "too_small" ? "at least" : "at most";
            const limit = issue.code === "too_small" ? issue.minimum : issue.maximum;
            const unit = issue.origin === "array" ? " item(s)" : issue.origin === "string" ? " character(s)" : "";
            return {
                key,
                message: `${shown}must have ${bound} ${String(limit)}${unit}`.replace(
                    "have at",
                    issue.origin === "number" ? "be at" : "have at",
                ),
            };
        }
        default:
            return { key, message: `${shown}${issue.message}` };
    }
}

/** The keys the schema allows in the object at `path` (`["network"]` → vpcCidr, availabilityZones, …). */
function knownKeysAt(path: string[]): string[] {
    let schema: z.ZodType = rawConfigSchema;
    for (const part of path) {
        schema = unwrap(schema);
        if (schema instanceof z.ZodObject) {
            schema = schema.shape[part] as z.ZodType;
        } else if (schema instanceof z.ZodArray) {
            schema = schema.element as z.ZodType;
        } else if (schema instanceof z.ZodRecord) {
            schema = schema.valueType as z.ZodType;
        } else {
            return [];
        }
    }
    schema = unwrap(schema);
    return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

function unwrap(schema: z.ZodType): z.ZodType {
    return schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema;
}

function article(noun: string): string {
    return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function describeType(value: unknown): string {
    if (value === null) {
        return "null";
    }
    if (Array.isArray(value)) {
        return "a list";
    }
    return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
