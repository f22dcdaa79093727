import { z } from "zod";
import { auditLifecycleProblem } from "../components/audit";
import type { ConfigProblem } from "./errors";
import type { Environment } from "./schema";
import { logRetentionDays } from "./values";

/**
 * The audit section, `groundwork:audit`: the account's CloudTrail trail (the `Audit` component) and
 * the S3 server access logs of the stack's buckets. Raw schema with every field documented, the
 * tier defaults in one table, and {@link resolveAuditConfig}, which applies them. The lifecycle rule
 * comes from the component (`components/audit.ts`): one rule for config and component.
 *
 * Only type imports from `./schema` (schema.ts imports this module; see data.ts).
 */

const NAMESPACE = "groundwork";

/**
 * `create`: this stack declares the trail. `existing`: the account already has one (another stack's,
 * an organization trail, Control Tower's) and this stack declares none; the `auditTrail` output says
 * it relies on it. `off`: no trail, and nothing claims there is one.
 */
export const TRAIL_MODES = ["create", "existing", "off"] as const;
export type TrailMode = (typeof TRAIL_MODES)[number];

const days = z.number().int().min(1).max(36500);

export const auditSchema = z.strictObject({
    /**
     * The account's trail: `create` (prod default), `existing` or `off` (dev default). One trail per
     * account is enough: every further trail pays for management events the first one logs free.
     */
    trail: z.enum(TRAIL_MODES).optional(),
    /** Days a trail log file stays in S3 Standard before Glacier. Default 90. Only with trail: create. */
    glacierTransitionDays: z.number().int().min(1).max(3650).optional(),
    /** Days after which a trail log file is deleted (at least the transition + 90). Default 365. Only with trail: create. */
    expirationDays: days.optional(),
    /** Retention of the trail's CloudWatch Logs group. Default 30 days in dev, 365 in prod. Only with trail: create. */
    logRetentionDays: logRetentionDays.optional(),
    /** Days the S3 server access logs of the uploads and assets buckets are kept. Default 30 in dev, 365 in prod. */
    accessLogExpirationDays: z.number().int().min(1).max(3650).optional(),
});

/** The audit section of the raw config; spread into the namespace schema. */
export const auditConfigShape = {
    audit: auditSchema.optional(),
};

export type RawAuditConfig = {
    [K in keyof typeof auditConfigShape]?: z.infer<(typeof auditConfigShape)[K]>;
};

export interface AuditConfig {
    trail: TrailMode;
    glacierTransitionDays: number;
    expirationDays: number;
    logRetentionDays: number;
    accessLogExpirationDays: number;
}

/**
 * What differs by tier. Prod creates the trail; dev does not, since a dev stack usually shares its
 * account with prod or a sandbox that already has one (a second trail pays for every management
 * event) and dev needs no year of audit history. A dev stack in an account of its own sets
 * `trail: create`.
 */
export const AUDIT_TIER_DEFAULTS: Record<
    Environment,
    { trail: TrailMode; logRetentionDays: number; accessLogExpirationDays: number }
> = {
    dev: { trail: "off", logRetentionDays: 30, accessLogExpirationDays: 30 },
    prod: { trail: "create", logRetentionDays: 365, accessLogExpirationDays: 365 },
};

const TRAIL_ONLY_KEYS = ["glacierTransitionDays", "expirationDays", "logRetentionDays"] as const;

/** Applies the tier defaults and checks the lifecycle. Pure; problems are keyed `groundwork:audit.<field>`. */
export function resolveAuditConfig(
    raw: RawAuditConfig,
    environment: Environment,
): { config: { audit: AuditConfig }; problems: ConfigProblem[] } {
    const problems: ConfigProblem[] = [];
    const tier = AUDIT_TIER_DEFAULTS[environment];
    const section = raw.audit ?? {};
    const trail = section.trail ?? tier.trail;
    const audit: AuditConfig = {
        trail,
        glacierTransitionDays: section.glacierTransitionDays ?? 90,
        expirationDays: section.expirationDays ?? 365,
        logRetentionDays: section.logRetentionDays ?? tier.logRetentionDays,
        accessLogExpirationDays: section.accessLogExpirationDays ?? tier.accessLogExpirationDays,
    };
    if (trail === "create") {
        const lifecycle = auditLifecycleProblem(audit.glacierTransitionDays, audit.expirationDays);
        if (lifecycle !== undefined) {
            problems.push({
                key: `${NAMESPACE}:audit.expirationDays`,
                message: `${audit.expirationDays} ${lifecycle}`,
            });
        }
    } else {
        for (const key of TRAIL_ONLY_KEYS.filter((k) => section[k] !== undefined)) {
            problems.push({
                key: `${NAMESPACE}:audit.${key}`,
                message: `is set but audit.trail is "${trail}": this stack declares no trail; remove it or set audit.trail: create`,
            });
        }
    }
    return { config: { audit }, problems };
}
