import { z } from "zod";
import { MAX_AZS, MAX_PREFIX, MIN_PREFIX, parseIpv4Cidr } from "../components/subnets";
import { INTERFACE_ENDPOINT_SERVICES, NAT_GATEWAY_STRATEGIES, NatGatewayStrategy } from "../components/vpc";
import { auditConfigShape } from "./audit";
import { dataConfigShape } from "./data";
import { edgeConfigShape } from "./edge";
import { identityConfigShape } from "./identity";
import { servicesConfigShape } from "./services";
import { distinctArray, logRetentionDays } from "./values";

export { LOG_RETENTION_DAYS, logRetentionDays } from "./values";

/**
 * The raw stack config, as it stands in `Pulumi.<stack>.yaml` under the `groundwork:` namespace.
 * Every key but `environment` is optional: the tier supplies the rest (see `defaults.ts`), so a
 * stack file holds only what differs. Objects are strict: a misspelt key is an error, not a
 * silently ignored setting.
 */

export const ENVIRONMENTS = ["dev", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** The NAT strategies, as the Vpc component defines them (one list for config and component). */
export const NAT_STRATEGIES = NAT_GATEWAY_STRATEGIES;
export type NatStrategy = NatGatewayStrategy;

export const ipv4Cidr = z.string().refine((value) => parseIpv4Cidr(value) !== undefined, {
    message: "is not a valid IPv4 CIDR (network address/prefix, e.g. 10.0.0.0/16)",
});

const vpcCidr = ipv4Cidr.refine(
    (value) => {
        const block = parseIpv4Cidr(value);
        return block === undefined || (block.prefix >= MIN_PREFIX && block.prefix <= MAX_PREFIX);
    },
    { message: `must have a prefix from /${MIN_PREFIX} to /${MAX_PREFIX} (AWS VPC limits)` },
);

const azName = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/, {
    message: "is not an availability zone name (e.g. us-east-1a)",
});

export const networkSchema = z.strictObject({
    /** VPC CIDR block. Default 10.0.0.0/16. Changing it replaces the VPC and everything in it. */
    vpcCidr: vpcCidr.optional(),
    /** AZ names to use, in order. Default: the first `azCount` available AZs of the region. */
    availabilityZones: distinctArray(azName).min(2).max(MAX_AZS).optional(),
    /** How many AZs to span when `availabilityZones` is not given. Default 2. */
    azCount: z.number().int().min(2).max(MAX_AZS).optional(),
    /** Subnet CIDRs per tier, one per AZ. Default: the reference layout derived from `vpcCidr`. */
    subnets: z
        .strictObject({
            public: distinctArray(ipv4Cidr),
            private: distinctArray(ipv4Cidr),
            isolated: distinctArray(ipv4Cidr),
        })
        .optional(),
    /**
     * NAT: `none`, `single` (dev default), `perAz` (prod default) or `instance` (one t4g.nano NAT
     * instance instead of a gateway: ≈ $29/month less, no HA; refused in prod).
     */
    natGateways: z.enum(NAT_STRATEGIES).optional(),
    /** Interface endpoints (PrivateLink) in the private subnets, by service (`ecr.api`, `logs`, …). Default none. */
    interfaceEndpoints: distinctArray(z.enum(INTERFACE_ENDPOINT_SERVICES)).optional(),
    /** Retention of the VPC flow-log group. Default 30 days in dev, 365 in prod. */
    flowLogRetentionDays: logRetentionDays.optional(),
});

const emailList = distinctArray(z.email({ message: "is not an e-mail address" }), (email) => email.toLowerCase());

export const alarmsSchema = z.strictObject({
    /**
     * Addresses subscribed to both alarm routes, warning and critical (someone must read a page even
     * without a pager). Each must confirm the subscription e-mail AWS sends, once per topic.
     */
    emails: emailList.optional(),
    /** Addresses subscribed to the critical route only (a pager's e-mail integration). */
    criticalEmails: emailList.optional(),
    /**
     * HTTPS webhook (chat, paging) subscribed to the critical route. Set it as a secret
     * (`pulumi config set --secret --path alarms.webhookUrl …`): such URLs carry a token. The
     * endpoint must confirm SNS's subscription request before it receives alarms.
     */
    webhookUrl: z
        .url({ protocol: /^https$/, message: "is not an https:// URL (SNS's https protocol needs one)" })
        .optional(),
    /** Whether the webhook confirms the subscription itself (PagerDuty's does). Default false. */
    webhookAutoConfirms: z.boolean().optional(),
    /** Monthly AWS Budget alerting the warning route at 80 % forecast and 100 % actual cost. */
    budget: z
        .strictObject({
            /** Create the budget. Default true. */
            enabled: z.boolean().optional(),
            /** Monthly limit in USD. Default: the tier's (the cost estimate plus a margin). */
            monthlyUsd: z.number().positive().max(1_000_000).optional(),
            /** Percent of the limit a forecast must reach to alert. Default 80. */
            forecastPercent: z.number().int().min(1).max(1000).optional(),
        })
        .optional(),
});

export const secretsSchema = z.strictObject({
    /**
     * Third-party API keys the application needs (`payments`, `maps`): each becomes a Secrets
     * Manager secret holding a placeholder that operators replace; Pulumi never reverts it.
     */
    thirdPartyKeys: distinctArray(
        z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, {
            message: "is not a secret key name (lower-case letters, digits and hyphens, starting with a letter)",
        }),
    ).optional(),
});

const tagValue = z
    .string()
    .min(1)
    .max(256)
    .regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u, { message: "has characters AWS tags do not allow" });

/**
 * The whole `groundwork:` namespace. Keys are the config keys without the namespace; each key is
 * read from Pulumi config on its own (structured values arrive as JSON strings).
 */
export const rawConfigSchema = z.strictObject({
    /** Tier: `dev` (cheap) or `prod` (highly available, loses no data). Required. */
    environment: z.enum(ENVIRONMENTS),
    /** Team or person who owns the stack; becomes the `owner` tag. */
    owner: tagValue.optional(),
    /** Cost centre for billing reports; becomes the `cost-centre` tag. */
    costCentre: tagValue.optional(),
    network: networkSchema.optional(),
    alarms: alarmsSchema.optional(),
    secrets: secretsSchema.optional(),
    ...dataConfigShape,
    ...servicesConfigShape,
    ...edgeConfigShape,
    ...identityConfigShape,
    ...auditConfigShape,
});

export type RawConfig = z.infer<typeof rawConfigSchema>;

/** Config keys whose value is a plain string; every other key holds structured (JSON) data. */
export const STRING_KEYS: ReadonlySet<string> = new Set(["environment", "owner", "costCentre"]);
