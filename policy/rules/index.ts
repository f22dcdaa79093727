/**
 * Groundwork's CrossGuard rules: the list the pack serves and the offline runner evaluates.
 *
 * This module tree has no side effects. Only policy/index.ts constructs the `PolicyPack`, because
 * constructing one starts the analyzer's gRPC server.
 */
import type { EnforcementLevel, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { alarmPolicies } from "./alarms";
import { edgePolicies } from "./edge";
import { encryptionPolicies } from "./encryption";
import { functionPolicies } from "./functions";
import { iamPolicies } from "./iam";
import { identityPolicies } from "./identity";
import { loggingPolicies } from "./logging";
import { networkPolicies } from "./network";
import { resiliencePolicies } from "./resilience";
import { servicePolicies } from "./services";
import type { Family, RegisteredPolicy } from "./lib/define";

export type { Family, PolicyMeta, RegisteredPolicy } from "./lib/define";

/** The pack's name, as `pulumi preview --policy-pack` reports it. */
export const PACK_NAME = "groundwork";

/** Every rule with its docs metadata, in catalogue order (5.1 … 5.6). */
export const registeredPolicies: readonly RegisteredPolicy[] = [
    ...encryptionPolicies,
    ...networkPolicies,
    ...alarmPolicies,
    ...resiliencePolicies,
    ...iamPolicies,
    ...loggingPolicies,
    ...servicePolicies,
    ...edgePolicies,
    ...identityPolicies,
    ...functionPolicies,
];

/** The policies, as `new PolicyPack(PACK_NAME, { policies })` takes them. */
export const policies: (ResourceValidationPolicy | StackValidationPolicy)[] = registeredPolicies.map((r) => r.policy);

export interface CatalogueEntry {
    name: string;
    family: Family;
    /** "resource" or "stack" policy. */
    kind: "resource" | "stack";
    enforcementLevel: EnforcementLevel;
    description: string;
    /** Public controls the rule comes from, e.g. "RDS.3; CKV_AWS_16". */
    source: string;
    /** What to change when it fires. */
    remediation: string;
    /** Config properties the rule takes (besides enforcementLevel). */
    config: string[];
    /** The rule checks prod stacks only and reports nothing in dev. */
    prodOnly: boolean;
}

/** The rule table for the README (see tools/policy-docs.ts). */
export function policyCatalogue(): CatalogueEntry[] {
    return registeredPolicies.map(({ policy, meta }) => ({
        name: policy.name,
        family: meta.family,
        kind: "validateStack" in policy ? "stack" : "resource",
        enforcementLevel: policy.enforcementLevel ?? "advisory",
        description: policy.description,
        source: meta.source,
        remediation: policy.remediationSteps ?? "",
        config: Object.keys(policy.configSchema?.properties ?? {}),
        prodOnly: meta.prodOnly,
    }));
}
