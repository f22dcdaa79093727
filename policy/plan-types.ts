/**
 * The offline plan's record of one resource: what the Pulumi engine would hand a CrossGuard
 * policy for it during `pulumi preview`. This shape is the `resources[]` element of the plan
 * JSON (`npm run plan -- --json`), a public interface: add fields, never rename or remove them.
 */
export interface PlannedResource {
    /** The resource's URN, as the engine would form it (stack, project, parent type chain, type, name). */
    urn: string;
    /** The type token, e.g. `aws:rds/instance:Instance` or `groundwork:index:Database`. */
    type: string;
    /** The logical name. */
    name: string;
    /** The parent's URN; absent only for the root stack resource. */
    parent?: string;
    /** true for provider-managed (custom) resources, false for components. */
    custom: boolean;
    /**
     * The inputs as the engine receives them. Secret values are replaced by the string
     * `"[secret]"`; a value the engine would not know at preview is the unknown sentinel
     * {@link UNKNOWN_SENTINEL}.
     */
    props: Record<string, unknown>;
    /** The resource options the engine records. */
    options: PlannedResourceOptions;
    /** URNs this resource depends on (parent edges excluded, `dependsOn` and input edges included). */
    dependencies: string[];
    /** For each input property, the URNs of the resources whose outputs flowed into it. */
    propertyDependencies: Record<string, string[]>;
}

export interface PlannedResourceOptions {
    protect: boolean;
    retainOnDelete: boolean;
    ignoreChanges: string[];
    deleteBeforeReplace: boolean;
    /** Provider reference (`<provider urn>::<provider id>`), when one is set explicitly or by default. */
    provider?: string;
    /** Alias URNs or alias specs, as strings. */
    aliases: string[];
    additionalSecretOutputs: string[];
    replaceOnChanges: string[];
    customTimeouts: { create?: string; update?: string; delete?: string };
}

/** One policy finding, as written to the plan JSON's `policyViolations`. */
export interface PolicyViolation {
    policyName: string;
    enforcementLevel: "advisory" | "mandatory" | "remediate" | "disabled";
    /** The URN of the resource the finding is about; absent for stack-level findings that name no resource. */
    urn?: string;
    message: string;
}

/**
 * The policy pack's verdict on a set of planned resources (what `npm run policy -- --json` writes and
 * `groundwork/testing/policy`'s `checkPolicies` returns).
 */
export interface PolicyReport {
    /** The policy pack's name. */
    pack: string;
    /** Every policy with its effective enforcement level (after config), including disabled ones. */
    policies: { name: string; enforcementLevel: PolicyViolation["enforcementLevel"] }[];
    violations: PolicyViolation[];
    /** The policy config the policies ran with: a file path, or "none" (each policy's defaults). */
    config: string;
}

/** The whole plan JSON document. */
export interface PlanDocument {
    project: string;
    stack: string;
    resources: PlannedResource[];
    outputs: Record<string, unknown>;
    policyViolations: PolicyViolation[];
}

/**
 * The engine's marker for a value not known until apply (the same UUID the Pulumi SDKs use).
 * A plan JSON may carry it wherever a property value is expected.
 */
export const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** How secret values appear in the plan: never the value itself. */
export const SECRET_PLACEHOLDER = "[secret]";
