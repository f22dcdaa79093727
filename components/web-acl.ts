import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as wafv2 from "@pulumi/aws/wafv2";
import type * as inputs from "@pulumi/aws/types/input";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import { KmsKey, createKmsKey } from "./kms-key";
import { AlarmRoutes, DashboardWidget, alarmRoutes, createAlarm, metricWidget } from "./internal/alarms";
import { ArgChecker } from "./internal/args";
import { arnRegion } from "./internal/regions";
import { createLogDeliveryPolicy } from "./internal/log-delivery";
import { stackScopedName } from "./internal/naming";
import { logRetentionProblem } from "./internal/rules";

/** Where a web ACL applies: CloudFront distributions, or regional resources (an ALB). */
export const WEB_ACL_SCOPES = ["CLOUDFRONT", "REGIONAL"] as const;
export type WebAclScope = (typeof WEB_ACL_SCOPES)[number];

/** WAF manages CLOUDFRONT-scope web ACLs, and publishes their metrics, in us-east-1 only. */
export const CLOUDFRONT_SCOPE_REGION = "us-east-1";

/**
 * What WAF accepts as a rate-based rule's limit: at least 10 requests per evaluation window (WAF
 * Developer Guide, "Rate-based rule high-level settings"), at most 2,000,000,000 (the API's bound).
 */
export const RATE_LIMIT = { min: 10, max: 2_000_000_000 } as const;

/** WAF refuses a logging destination whose name does not start with this. */
export const WAF_LOG_PREFIX = "aws-waf-logs-";

/**
 * The AWS managed rule groups every Groundwork web ACL runs, in priority order around the rate
 * limit: IP reputation first (cheapest, drops known-bad sources before they count against
 * anything), then the core rule set (OWASP-style checks) and known bad inputs (Log4Shell, bad
 * paths). Capacity: 25 + 700 + 200 WCU, with the rate rule well under the 1,500 WCU a web ACL
 * includes in its price.
 */
export const MANAGED_RULE_GROUPS = [
    "AWSManagedRulesAmazonIpReputationList",
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
] as const;

/** The rate-based rule's name (and metric name). */
export const RATE_RULE_NAME = "rate-limit-per-ip";

/** Headers WAF logs keep out: session tokens and credentials (the pack's `log-waf` asks for both). */
export const REDACTED_HEADERS = ["authorization", "cookie"] as const;

export interface WebAclArgs {
    /**
     * `CLOUDFRONT` for a distribution (every child is then created in us-east-1, where WAF keeps
     * them, through the per-resource `region`), or `REGIONAL` for a load balancer in the stack's
     * region. Changing it replaces the web ACL.
     */
    scope: string;
    /**
     * Requests one client IP may make in 5 minutes before WAF blocks it, until its rate falls
     * below the limit again (10 to 2,000,000,000). Seeds 002/003's rate limiting; 2,000 per
     * 5 minutes is ≈ 7 requests a second, sustained.
     * @default 2000
     */
    rateLimitPer5Minutes?: number;
    /**
     * Blocked requests in 5 minutes above which the warning alarm fires: an attack, a bot, or a
     * rule blocking real users (check the WAF logs for which rule).
     * @default 1000
     */
    blockedRequestsAlarmThreshold?: number;
    /**
     * Days the WAF log group keeps its logs (a CloudWatch Logs retention period).
     * @default 30
     */
    logRetentionDays?: number;
    /**
     * ARN of the SNS topic for the web ACL's alarm, in the ACL's region (us-east-1 for
     * `CLOUDFRONT`, see `Monitoring`'s `edgeAlarmTopicArn`): a CloudWatch alarm notifies topics of
     * its own region only.
     */
    alarmTopicArn: pulumi.Input<string>;
    /**
     * SNS topic of the critical alarms (they page someone) of the same region (us-east-1); `alarmTopicArn` then carries
     * the warnings only. Monitoring's `criticalAlarmTopicArn`.
     * @default alarmTopicArn (one route for both severities)
     */
    criticalAlarmTopicArn?: pulumi.Input<string>;
    /**
     * Protect the log key (`protect` and `retainOnDelete`): the logs are unreadable without it.
     * Set it in prod.
     * @default false
     */
    protect?: boolean;
}

/** The raw children of a {@link WebAcl}. An interface, so that the component package's schema can carry it. */
export interface WebAclNodes {
    webAcl: wafv2.WebAcl;
    key: KmsKey;
    logGroup: cloudwatch.LogGroup;
    logGroupPolicy: cloudwatch.LogResourcePolicy;
    logging: wafv2.WebAclLoggingConfiguration;
    alarms: cloudwatch.MetricAlarm[];
}

/**
 * A WAFv2 web ACL that allows by default and blocks: sources on Amazon's IP reputation list, any
 * client IP above `rateLimitPer5Minutes`, and what the AWS managed core rule set and known-bad-
 * inputs group match. Every rule and the ACL publish CloudWatch metrics and sampled requests.
 * Requests are logged to a KMS-encrypted log group named `aws-waf-logs-<project>-<stack>-<name>`
 * (the prefix WAF requires) with the `Authorization` and `Cookie` headers redacted, and a warning
 * alarm fires on a spike of blocked requests.
 *
 * ```ts
 * const waf = new WebAcl("waf", { scope: "CLOUDFRONT", alarmTopicArn: monitoring.edgeAlarmTopicArn });
 * new Cdn("cdn", { ..., webAclArn: waf.webAclArn });
 * // Without a CDN: the same ACL on the load balancer.
 * const regional = new WebAcl("waf", { scope: "REGIONAL", alarmTopicArn: monitoring.alarmTopicArn });
 * new aws.wafv2.WebAclAssociation("waf", { resourceArn: alb.arn, webAclArn: regional.webAclArn });
 * ```
 *
 * The core rule set blocks request bodies over 8 KB (`SizeRestrictions_BODY`) among others: an
 * API that takes larger bodies needs that rule overridden to count (Pulumi's `transforms` reach
 * the web ACL's `rules`); uploads that go straight to S3 with presigned URLs are not affected.
 *
 * **Cost**: web ACL $5/month + $1/month per rule (4) + $0.60 per million requests inspected + logs
 * $0.50/GB ingested + storage + KMS key $1/month + alarm $0.10/month ≈ $10/month before traffic.
 */
export class WebAcl extends pulumi.ComponentResource {
    /** The web ACL's ARN: a distribution's `webAclId`, or a `WebAclAssociation`'s `webAclArn`. */
    readonly webAclArn: pulumi.Output<string>;
    /** The web ACL's ID. */
    readonly webAclId: pulumi.Output<string>;
    /** `aws-waf-logs-<project>-<stack>-<name>`, in the ACL's region. */
    readonly logGroupName: pulumi.Output<string>;
    /** Widgets for the stack dashboard (they name the ACL's region). */
    readonly dashboardWidgets: DashboardWidget[];
    /** The raw children, for advanced use. */
    readonly nodes: WebAclNodes;

    private readonly name: string;

    constructor(name: string, args: WebAclArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("groundwork:index:WebAcl", name, {}, opts);
        this.name = name;
        const cfg = normalizeWebAclArgs(name, args);

        const webAcl = this.createWebAcl(cfg);
        const { key, logGroup, logGroupPolicy, logging } = this.createLogging(cfg, webAcl);
        const metricDimensions = this.metricDimensions(cfg, webAcl);
        const alarms = [this.createBlockedRequestsAlarm(cfg, metricDimensions)];

        this.webAclArn = webAcl.arn;
        this.webAclId = webAcl.id;
        this.logGroupName = logGroup.name;
        this.dashboardWidgets = this.createWidgets(cfg, metricDimensions);
        this.nodes = { webAcl, key, logGroup, logGroupPolicy, logging, alarms };
        this.registerOutputs({ webAclArn: this.webAclArn, webAclId: this.webAclId, logGroupName: this.logGroupName });
    }

    private createWebAcl(cfg: NormalizedWebAclArgs): wafv2.WebAcl {
        const visibility = (metricName: string): inputs.wafv2.WebAclRuleVisibilityConfig => ({
            cloudwatchMetricsEnabled: true,
            metricName,
            sampledRequestsEnabled: true,
        });
        const managed = (group: string, priority: number): inputs.wafv2.WebAclRule => ({
            name: group,
            priority,
            // "none" keeps the group's own block actions; "count" would only observe.
            overrideAction: { none: {} },
            statement: { managedRuleGroupStatement: { name: group, vendorName: "AWS" } },
            visibilityConfig: visibility(group),
        });
        const [reputation, common, badInputs] = MANAGED_RULE_GROUPS;
        return new wafv2.WebAcl(
            this.name,
            {
                name: cfg.aclName,
                description: `Web ACL ${this.name}: IP reputation, per-IP rate limit, AWS core and known-bad-inputs rules`,
                scope: cfg.scope,
                defaultAction: { allow: {} },
                rules: [
                    managed(reputation, 0),
                    {
                        name: RATE_RULE_NAME,
                        priority: 1,
                        action: { block: {} },
                        statement: {
                            rateBasedStatement: {
                                limit: cfg.rateLimitPer5Minutes,
                                aggregateKeyType: "IP",
                                evaluationWindowSec: 300,
                            },
                        },
                        visibilityConfig: visibility(RATE_RULE_NAME),
                    },
                    managed(common, 2),
                    managed(badInputs, 3),
                ],
                // The ACL's metric name is the `WebACL` dimension of its metrics.
                visibilityConfig: visibility(cfg.aclName),
                region: cfg.region,
            },
            { parent: this },
        );
    }

    /**
     * WAF logs to a CloudWatch log group named with its required prefix, encrypted with a key of
     * the ACL's region, written by the log delivery service through the group's resource policy.
     * The group is not protected: its name is fixed, so a retained group would block a re-created
     * stack; its key is.
     */
    private createLogging(
        cfg: NormalizedWebAclArgs,
        webAcl: wafv2.WebAcl,
    ): {
        key: KmsKey;
        logGroup: cloudwatch.LogGroup;
        logGroupPolicy: cloudwatch.LogResourcePolicy;
        logging: wafv2.WebAclLoggingConfiguration;
    } {
        const key = createKmsKey(
            `${this.name}-logs-key`,
            {
                description: `Encrypts the request logs of web ACL ${this.name}`,
                cloudWatchLogGroupNames: [cfg.logGroupName],
                region: cfg.region,
                protect: cfg.protect,
            },
            this,
        );
        const logGroup = new cloudwatch.LogGroup(
            `${this.name}-logs`,
            {
                name: cfg.logGroupName,
                retentionInDays: cfg.logRetentionDays,
                kmsKeyId: key.key.arn,
                region: cfg.region,
            },
            { parent: this },
        );
        const logGroupPolicy = createLogDeliveryPolicy(`${this.name}-logs`, logGroup, cfg.region, this);
        const logging = new wafv2.WebAclLoggingConfiguration(
            `${this.name}-logging`,
            {
                resourceArn: webAcl.arn,
                logDestinationConfigs: [logGroup.arn],
                redactedFields: REDACTED_HEADERS.map((header) => ({ singleHeader: { name: header } })),
                region: cfg.region,
            },
            { parent: this, dependsOn: [logGroupPolicy] },
        );
        return { key, logGroup, logGroupPolicy, logging };
    }

    /**
     * The dimensions of the ACL's own metrics (all rules together): `WebACL` (its metric name) and
     * `Rule: ALL`, plus `Region` for a REGIONAL ACL only; CLOUDFRONT-scope metrics carry no Region
     * (WAF Developer Guide, "AWS WAF metrics and dimensions"; cdk-monitoring-constructs' WAF metric
     * factory likewise asks for a region only with REGIONAL scope). Read from the ACL, so alarms and
     * widgets depend on it.
     */
    private metricDimensions(cfg: NormalizedWebAclArgs, webAcl: wafv2.WebAcl): Record<string, pulumi.Input<string>> {
        const dimensions: Record<string, pulumi.Input<string>> = {
            WebACL: webAcl.visibilityConfig.metricName,
            Rule: "ALL",
        };
        if (cfg.scope === "REGIONAL") {
            dimensions.Region = getRegionOutput({}, { parent: this }).region;
        }
        return dimensions;
    }

    private createBlockedRequestsAlarm(
        cfg: NormalizedWebAclArgs,
        dimensions: Record<string, pulumi.Input<string>>,
    ): cloudwatch.MetricAlarm {
        return createAlarm(
            `${this.name}-blocked-requests`,
            {
                description: `Web ACL ${this.name} blocked over ${cfg.blockedRequestsAlarmThreshold} requests in 5 minutes: an attack or a bot, or a rule blocking real users. Check the WAF logs (${cfg.logGroupName}) for the terminating rule and the clients.`,
                severity: "warning",
                namespace: "AWS/WAFV2",
                metricName: "BlockedRequests",
                dimensions,
                statistic: "Sum",
                period: 300,
                threshold: cfg.blockedRequestsAlarmThreshold,
                comparisonOperator: "GreaterThanThreshold",
                region: cfg.region,
            },
            cfg.alarmRoutes,
            { parent: this },
        );
    }

    private createWidgets(
        cfg: NormalizedWebAclArgs,
        dimensions: Record<string, pulumi.Input<string>>,
    ): DashboardWidget[] {
        const dims = Object.entries(dimensions).flat();
        const widget = metricWidget(
            `${this.name}: requests`,
            [
                ["AWS/WAFV2", "AllowedRequests", ...dims],
                ["AWS/WAFV2", "BlockedRequests", ...dims],
            ],
            { stat: "Sum" },
        );
        // A CLOUDFRONT ACL's metrics exist in us-east-1 only, whatever the dashboard's region.
        return [
            cfg.region
                ? {
                      ...widget,
                      properties: pulumi.output(widget.properties).apply((p) => ({ ...p, region: cfg.region })),
                  }
                : widget,
        ];
    }
}

interface NormalizedWebAclArgs {
    scope: WebAclScope;
    /** us-east-1 for CLOUDFRONT; undefined (the provider's) for REGIONAL. */
    region?: string;
    aclName: string;
    logGroupName: string;
    rateLimitPer5Minutes: number;
    blockedRequestsAlarmThreshold: number;
    logRetentionDays: number;
    alarmRoutes: AlarmRoutes;
    protect: boolean;
}

/** Applies defaults and validates; every error names the argument. Exported for tests. */
export function normalizeWebAclArgs(name: string, args: WebAclArgs): NormalizedWebAclArgs {
    const check = new ArgChecker("WebAcl", name, args);
    const scope = check.oneOf("scope", args.scope, WEB_ACL_SCOPES);
    const region = scope === "CLOUDFRONT" ? CLOUDFRONT_SCOPE_REGION : undefined;
    const rateLimitPer5Minutes = check.int("rateLimitPer5Minutes", 2000, RATE_LIMIT.min, RATE_LIMIT.max);
    const blockedRequestsAlarmThreshold = check.int("blockedRequestsAlarmThreshold", 1000, 1, RATE_LIMIT.max);
    const logRetentionDays = args.logRetentionDays ?? 30;
    check.rule("logRetentionDays", logRetentionDays, logRetentionProblem(logRetentionDays));
    if (args.alarmTopicArn === undefined) {
        check.fail("alarmTopicArn", "is required: the blocked-requests alarm notifies it");
    }
    for (const arg of ["alarmTopicArn", "criticalAlarmTopicArn"] as const) {
        const topicRegion = arnRegion(args[arg]);
        if (region !== undefined && topicRegion !== undefined && topicRegion !== region) {
            check.fail(
                arg,
                `is a topic in ${topicRegion}; a CLOUDFRONT web ACL's alarm lives in ${region} with its metrics, and CloudWatch notifies topics of the alarm's region only (see Monitoring's edgeAlarmTopicArn)`,
            );
        }
    }
    const aclName = stackScopedName(name, 128);
    return {
        scope,
        region,
        aclName,
        logGroupName: `${WAF_LOG_PREFIX}${aclName}`,
        rateLimitPer5Minutes,
        blockedRequestsAlarmThreshold,
        logRetentionDays,
        alarmRoutes: alarmRoutes(args.alarmTopicArn, args.criticalAlarmTopicArn),
        protect: args.protect ?? false,
    };
}
