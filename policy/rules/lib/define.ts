/**
 * Rule definitions with docs metadata: `resourceRule` and `stackRule` wrap a check so it sees unknown-safe
 * inputs and reports through {@link Findings}.
 */
import type {
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyResourceOptions,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { isProd } from "./environment";
import { Findings } from "./findings";
import { StackView } from "./stack-view";
import { snapshot } from "./unknowns";
import { asRecord } from "./values";

export type Family = "encryption" | "network" | "alarms" | "resilience" | "iam" | "logging";

export interface PolicyMeta {
    family: Family;
    /** Public controls the rule comes from, e.g. "RDS.3; CKV_AWS_16". */
    source: string;
    /** The rule checks prod stacks only and is off in dev (see {@link RuleSpec.prodOnly}). */
    prodOnly: boolean;
}

export interface RegisteredPolicy {
    policy: ResourceValidationPolicy | StackValidationPolicy;
    meta: PolicyMeta;
}

export interface RuleSpec {
    name: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    family: Family;
    source: string;
    /** What to change, shown in the policy's docs (each violation message says it for its case). */
    remediation: string;
    configSchema?: PolicyConfigSchema;
    /**
     * Checks prod stacks only: in dev (the policy's `environment`, else the stack name) the rule reports
     * nothing, so a dev stack is never blocked or nagged by prod's availability and protection demands.
     */
    prodOnly?: boolean;
}

/** What a resource rule sees: the analyzer's args with the inputs already made unknown-safe. */
export interface ResourceView {
    type: string;
    name: string;
    urn: string;
    props: Record<string, unknown>;
    opts: PolicyResourceOptions;
    /** The explicit or default provider's inputs (e.g. `region`), when the engine sent them. */
    providerProps: Record<string, unknown> | undefined;
}

function specFields(spec: RuleSpec) {
    return {
        name: spec.name,
        description: spec.description,
        enforcementLevel: spec.enforcementLevel,
        remediationSteps: spec.remediation,
        ...(spec.configSchema ? { configSchema: spec.configSchema } : {}),
    };
}

function metaOf(spec: RuleSpec): PolicyMeta {
    return { family: spec.family, source: spec.source, prodOnly: spec.prodOnly === true };
}

/** Whether a rule runs at all under this config: prod-only rules are off in dev. */
function runs(spec: RuleSpec, config: { environment?: unknown }): boolean {
    return !spec.prodOnly || isProd(config);
}

/**
 * A resource policy for the given type tokens. Types are matched as strings (not SDK classes) so one rule
 * covers `aws:lb/...` and `aws:alb/...`, `Bucket` and `BucketV2`.
 */
export function resourceRule<C extends object>(
    spec: RuleSpec,
    types: readonly string[],
    check: (r: ResourceView, config: C, f: Findings) => void,
): RegisteredPolicy {
    const typeSet: ReadonlySet<string> = new Set(types);
    const validateResource = (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
        if (!typeSet.has(args.type)) {
            args.notApplicable(`Policy only applies to resources of type ${types.join(", ")}`);
        }
        const config = args.getConfig<C>();
        if (!runs(spec, config)) {
            return;
        }
        const view: ResourceView = {
            type: args.type,
            name: args.name,
            urn: args.urn,
            props: asRecord(snapshot(args.props)),
            opts: args.opts,
            providerProps: args.provider ? asRecord(snapshot(args.provider.props)) : undefined,
        };
        const findings = new Findings();
        check(view, config, findings);
        findings.flush(reportViolation);
    };
    // The offline runner skips other types without calling (the call would only say "not
    // applicable"); the engine ignores this property and calls every resource policy.
    Object.defineProperty(validateResource, APPLIES_TO, { value: typeSet });
    const policy: ResourceValidationPolicy = { ...specFields(spec), validateResource };
    return { policy, meta: metaOf(spec) };
}

/** Property of a rule's validateResource holding the resource types it applies to (a ReadonlySet). */
export const APPLIES_TO = "groundworkAppliesTo";

/** A stack policy: `check` sees the whole stack and names the resource of each violation. */
export function stackRule<C extends object>(
    spec: RuleSpec,
    check: (stack: StackView, config: C, f: Findings) => void,
): RegisteredPolicy {
    const policy: StackValidationPolicy = {
        ...specFields(spec),
        validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
            const config = args.getConfig<C>();
            if (!runs(spec, config)) {
                return;
            }
            const findings = new Findings();
            check(new StackView(args.resources), config, findings);
            findings.flush(reportViolation);
        },
    };
    return { policy, meta: metaOf(spec) };
}
