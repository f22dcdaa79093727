import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { RandomPassword } from "@pulumi/random/randomPassword";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as ec2 from "@pulumi/aws/ec2";
import { getManagedPrefixListOutput } from "@pulumi/aws/ec2/getManagedPrefixList";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import * as lb from "@pulumi/aws/lb";
import * as s3 from "@pulumi/aws/s3";
import * as secretsmanager from "@pulumi/aws/secretsmanager";
import * as vpc from "@pulumi/aws/vpc";
import * as wafv2 from "@pulumi/aws/wafv2";
import { policyDocument, statefulOptions } from "./common";
import { ArgChecker } from "./internal/args";
import {
    AlarmRoutes,
    DashboardWidget,
    alarmRoutes,
    createAlarm,
    createMathAlarm,
    metricWidget,
} from "./internal/alarms";
import { physicalName, requireRecoveryWindow, secretName, stackScopedName, withSuffix } from "./internal/naming";
import { ROLE_TAG } from "./internal/security-groups";
import { lockBucketAccess, bucketTlsStatements, logBucketAccess } from "./internal/s3";

/** Where the load balancer sits: public subnets with public addresses, or private subnets only. */
export const LOAD_BALANCER_SCHEMES = ["internet-facing", "internal"] as const;
export type LoadBalancerScheme = (typeof LOAD_BALANCER_SCHEMES)[number];

/** Who may open connections to the load balancer (see {@link LoadBalancerArgs.ingress}). */
export const LOAD_BALANCER_INGRESS = ["cloudfront", "world", "vpc-origin"] as const;
export type LoadBalancerIngress = (typeof LOAD_BALANCER_INGRESS)[number];

/** The desync mitigation modes the component allows (`monitor` forwards ambiguous requests; the pack refuses it). */
export const DESYNC_MITIGATION_MODES = ["defensive", "strictest"] as const;
export type DesyncMitigationMode = (typeof DESYNC_MITIGATION_MODES)[number];

/** The header CloudFront adds to every origin request and the listener rules require. */
export const ORIGIN_VERIFY_HEADER = "X-Origin-Verify";

/** Length of the origin header's random value: 64 of [A-Za-z0-9] ≈ 380 bits, within the 128 an ALB header condition takes. */
export const ORIGIN_VERIFY_VALUE_LENGTH = 64;

/**
 * TLS 1.3 and 1.2 with forward-secret ciphers only: the policy AWS recommends for new listeners
 * (ELB User Guide, "Security policies for your Application Load Balancer"), and the first the
 * pack's `tls-alb-listener` accepts.
 */
export const HTTPS_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/**
 * The CloudFront origin-facing managed prefix list (VPC User Guide, "AWS-managed prefix lists").
 * AWS gives it a weight of 55: a security group rule that references it counts as 55 rules against
 * the group's quota (60 inbound rules by default), so the load balancer opens exactly one port to it.
 */
export const CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST = "com.amazonaws.global.cloudfront.origin-facing";

/**
 * ELB access-log delivery's service principal. The ELB User Guide ("Enable access logs for your
 * Application Load Balancer", step 2) documents it for every Region and calls the older policy that
 * grants a per-Region ELB account (Regions opened before August 2022) legacy, so no Region table
 * is needed (terraform-aws-modules/s3-bucket#405 and ansible-collections/amazon.aws#2845 moved to it
 * for the same reason); the pack's `enc-s3-sse` and `net-resource-principals` recognise it. ELB
 * writes a test object when access logs are enabled, so a grant it does not accept fails the
 * deployment instead of silently losing logs.
 */
export const ELB_LOG_DELIVERY_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com";

/** ALB listener-rule limits (ELB User Guide, "Listener rules"): values per condition and per rule. */
export const RULE_LIMITS = { valuesPerCondition: 3, valuesPerRule: 5 } as const;

/** ALB and target group names: at most 32 letters, digits and hyphens (CreateLoadBalancer, CreateTargetGroup). */
export const ELB_NAME_MAX = 32;

/**
 * `full` as a physical name of at most `max` characters ending in `suffix`. When it has to be cut,
 * a 4-hex hash of the whole name goes before the suffix, so two long names that share their first
 * characters still differ; the result is the same on every run (no state, no randomness).
 */
export function fitName(full: string, max: number, suffix = ""): string {
    const base = physicalName(full, 1000);
    if (base.length + suffix.length <= max) {
        return `${base}${suffix}`;
    }
    const hash = createHash("sha256").update(base).digest("hex").slice(0, 4);
    return withSuffix(base, `-${hash}${suffix}`, max);
}

/**
 * The ALB's name, `<project>-<stack>-<name>` fitted to 32 characters. ELB refuses names starting
 * with `internal-` (it prefixes internal load balancers' DNS names with it), so such a name gets `lb-`.
 */
export function loadBalancerName(scope: string): string {
    const name = fitName(scope, ELB_NAME_MAX);
    return name.startsWith("internal-") ? fitName(`lb-${scope}`, ELB_NAME_MAX) : name;
}

/**
 * A target group's name: `<scope>-<target>-<port>` fitted to 32 characters. The port is in the
 * name because changing it replaces the target group, and a target group in use by a listener rule
 * cannot be deleted: with a new name, Pulumi creates the new group, moves the rule and the service
 * to it, then deletes the old one (create-before-delete), where a fixed name would need
 * delete-before-replace and fail with `ResourceInUse`.
 */
export function targetGroupName(scope: string, target: string, port: number): string {
    return fitName(`${scope}-${target}`, ELB_NAME_MAX, `-${port}`);
}

/** Seed 000's application error-rate alarm threshold, in percent of requests. */
export const ERROR_RATE_PERCENT = 5;

/**
 * The error rate in percent, as CloudWatch metric math over the ALB's Sum metrics (ids as in the
 * alarm's metric queries). IF(cond, a, b) and FILL(series, 0) are metric-math functions (CloudWatch
 * user guide, "Metric math syntax and functions", using-metric-math.html); the
 * minimum of 50 requests keeps a quiet period's single error from paging.
 */
export const ERROR_RATE_EXPRESSION =
    "IF((FILL(requests, 0) + FILL(elb5xx, 0)) >= 50, 100 * (FILL(target5xx, 0) + FILL(elb5xx, 0)) / (FILL(requests, 0) + FILL(elb5xx, 0)), 0)";

/** One service behind the load balancer: a target group of its tasks and the rule that routes to it. */
export interface LoadBalancerTarget {
    /**
     * The target's name (lower-case letters, digits, hyphens; unique): the key of `targetGroupArns`
     * and part of child and physical names. Renaming it replaces its target group.
     */
    name: string;
    /** The port the tasks listen on; the target group, health check and security-group rules use it. */
    port: number;
    /** The health check path (seed 002: `/api/health`); a 200 marks a task healthy. */
    healthCheckPath: string;
    /**
     * The tasks' security group: the component adds an ingress rule on it from the load balancer's
     * group on `port`, and an egress rule on the load balancer's group to it. Targets sharing one
     * group and port share the rule pair (AWS refuses duplicate rules), which requires passing the
     * same value (the same Output, or equal strings) for them.
     */
    securityGroupId: pulumi.Input<string>;
    /**
     * Path patterns routed to this target (up to 3, e.g. `/api/*`). Neither these nor `hostHeaders`
     * makes this the default target, which takes every request no other rule matched; exactly one
     * target must be the default.
     * @default []
     */
    pathPatterns?: string[];
    /**
     * Host names routed to this target (up to 3, e.g. `api.example.com`); with `pathPatterns`, a
     * request must match both.
     * @default []
     */
    hostHeaders?: string[];
    /**
     * Sticky sessions: a load-balancer cookie (`AWSALB`) keeps a client on one task for this many
     * seconds (1-604800; seed 002: 86400, one day). Off when absent.
     * @default undefined (no stickiness)
     */
    stickySeconds?: number;
    /**
     * Slow start: a new task's share of requests ramps up over this many seconds (30-900), for
     * services that warm caches or JIT-compile. Off when absent.
     * @default undefined (no slow start)
     */
    slowStartSeconds?: number;
    /**
     * How long a deregistering task keeps its in-flight requests before it is cut off (0-3600 s).
     * ELB's default of 300 s slows every deploy; API requests finish well within 30.
     * @default 30
     */
    deregistrationDelaySeconds?: number;
}

export interface LoadBalancerArgs {
    /** The VPC of the load balancer, its security group and its target groups. Changing it replaces them all. */
    vpcId: pulumi.Input<string>;
    /**
     * Subnets in at least two AZs: the public subnets for `internet-facing`, the private ones for
     * `internal`. Pass an array (of IDs or Outputs) rather than one Output of an array: the pack's
     * `res-alb-delete-protect` counts the subnets at preview.
     */
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * `internet-facing` (seeds 001-003) or `internal` (reached only through a CloudFront VPC origin;
     * nothing of the application has a public address). Changing it replaces the load balancer.
     * @default "internet-facing"
     */
    scheme?: string;
    /**
     * Who may reach the load balancer:
     * - `cloudfront`: internet-facing, the listener port (443, or 80 without a certificate) only
     *   from CloudFront's origin-facing managed prefix list; with the origin header, requests that
     *   come through another distribution are refused too.
     * - `world`: internet-facing, 80 and 443 from 0.0.0.0/0 and ::/0 (seed 002 with the CDN off);
     *   only the ports that have a listener are opened.
     * - `vpc-origin`: `internal`, reached by a CloudFront VPC origin: the listener port from the
     *   origin-facing prefix list, or from `vpcOriginSecurityGroupId` (see there).
     */
    ingress: string;
    /**
     * A regional ACM certificate (in this stack's region) for the HTTPS listener. With it, 80 only
     * redirects to HTTPS (301) and 443 serves TLS 1.3/1.2. Without it (dev without a DNS zone,
     * CloudFront reaching the load balancer over HTTP), listener 80 forwards: the pack's
     * `tls-alb-listener` and `tls-alb-listener-rules` report that shape.
     * @default undefined (HTTP only)
     */
    certificateArn?: pulumi.Input<string>;
    /**
     * Require the secret `X-Origin-Verify` header on every forwarded request (every other request
     * gets a fixed 403): AWS's documented way to keep viewers from going around CloudFront, and
     * around its WAF, even from another distribution (which the prefix list would let through). The
     * CDN sends `originVerifyHeaderName`/`originVerifyHeaderValue` as an origin custom header.
     * Only for `cloudfront` or `vpc-origin` ingress.
     * @default true for `cloudfront` ingress, else false
     */
    originVerifyHeader?: boolean;
    /**
     * KMS key for the Secrets Manager secret that keeps the origin header's value (a customer-managed
     * key, e.g. `AppSecrets.kmsKeyArn`). Without it Secrets Manager uses `aws/secretsmanager`, which
     * the pack's `enc-cmk-misc` reports (advisory).
     * @default undefined (aws/secretsmanager)
     */
    secretKmsKeyArn?: pulumi.Input<string>;
    /**
     * For `vpc-origin`: the `CloudFront-VPCOrigins-Service-SG` security group CloudFront creates in
     * the VPC with its first VPC origin. Given, the load balancer admits that group instead of the
     * origin-facing prefix list (the narrower rule the CloudFront Developer Guide offers); it can
     * only be known once a VPC origin exists, so a first deployment leaves it out.
     * @default undefined (the origin-facing prefix list)
     */
    vpcOriginSecurityGroupId?: pulumi.Input<string>;
    /**
     * The services behind the load balancer, one target group each. Rules take their priority from
     * this order (first = 1), and the default target's rule comes last; reordering changes
     * priorities in place.
     */
    targets: LoadBalancerTarget[];
    /**
     * Deletion protection: AWS refuses to delete the load balancer until it is turned off. Set it
     * in prod (the pack's `res-alb-delete-protect` requires it there).
     * @default false
     */
    deletionProtection?: boolean;
    /**
     * Seconds a connection may stay idle (1-4000). Raise it for long polling or streaming responses.
     * @default 60
     */
    idleTimeoutSeconds?: number;
    /**
     * How the load balancer treats requests that could be read two ways (HTTP desync):
     * `defensive` or `strictest` (which also refuses requests RFC 7230 only tolerates).
     * @default "defensive"
     */
    desyncMitigationMode?: string;
    /**
     * Days the access logs are kept in their bucket (1-3650).
     * @default 90
     */
    accessLogRetentionDays?: number;
    /**
     * Bucket that receives the S3 server access logs of the access-log bucket itself (an
     * `AccessLogBucket`, whose policy must name this load balancer's log bucket, `accessLogsBucketArn`):
     * Security Hub S3.9 holds every bucket to it, and the pack's `log-s3-access` with it.
     * @default none (the pack then flags the log bucket)
     */
    serverAccessLogBucketName?: pulumi.Input<string>;
    /** The SNS topic for the load balancer's alarms (5XX, latency, unhealthy targets). */
    alarmTopicArn: pulumi.Input<string>;
    /**
     * SNS topic of the critical alarms (they page someone); `alarmTopicArn` then carries
     * the warnings only. Monitoring's `criticalAlarmTopicArn`.
     * @default alarmTopicArn (one route for both severities)
     */
    criticalAlarmTopicArn?: pulumi.Input<string>;
    /**
     * A REGIONAL WAFv2 web ACL to associate with the load balancer (when there is no CDN to carry
     * a CLOUDFRONT-scope ACL).
     * @default undefined (no WAF on the load balancer)
     */
    webAclArn?: pulumi.Input<string>;
    /**
     * Protect the access-log bucket and the origin header's secret (`protect`, `retainOnDelete`,
     * a 30-day recovery window); an unprotected bucket is emptied on delete. Set it in prod.
     * @default false
     */
    protect?: boolean;
}

/**
 * An Application Load Balancer in front of Fargate services (seed 002's ALB): its own security
 * group, one IP target group per service with seed 002's health check (interval 30 s, timeout 5 s,
 * healthy 2, unhealthy 3, matcher 200), listener rules by path or host (one default target), and
 * the security-group chain to the services: an ingress rule on each service's group from this
 * group on that service's port, and this group's only egress rules to those groups and ports.
 *
 * With a certificate, 80 answers only 301 to HTTPS and 443 serves TLS 1.3/1.2; without one, 80
 * forwards (dev without a DNS zone). With the CDN (`ingress: "cloudfront"`), the group admits only
 * CloudFront's origin-facing prefix list and every forward rule also requires the secret
 * `X-Origin-Verify` header (a random value kept in Secrets Manager), everything else getting a
 * fixed 403. `internal` + `vpc-origin` puts it in private subnets behind a CloudFront VPC origin.
 *
 * Always: `dropInvalidHeaderFields`, desync mitigation `defensive` or stricter, HTTP/2, access logs
 * to a bucket of its own (SSE-S3: ELB writes access logs only to SSE-S3 buckets, ELB User Guide
 * "Enable access logs", so the pack's `enc-s3-sse` allows exactly this bucket by its policy, which
 * lets only ELB log delivery write only under `AWSLogs/`), and alarms (target and ELB 5XX,
 * latency, unhealthy targets per target group).
 *
 * ```ts
 * const alb = new LoadBalancer("alb", {
 *     vpcId: network.vpcId,
 *     subnetIds: network.publicSubnetIds,
 *     ingress: "cloudfront",
 *     certificateArn: albCertificate.arn,
 *     secretKmsKeyArn: secrets.kmsKeyArn,
 *     targets: [{ name: "api", port: 3000, healthCheckPath: "/api/health", securityGroupId: app.securityGroupId, stickySeconds: 86400 }],
 *     deletionProtection: true,
 *     alarmTopicArn: monitoring.alarmTopicArn,
 *     criticalAlarmTopicArn: monitoring.criticalAlarmTopicArn,
 *     protect: true,
 * });
 * // The CDN: origin alb.dnsName, custom header alb.originVerifyHeaderName = alb.originVerifyHeaderValue.
 * // A service: loadBalancers: [{ targetGroupArn: alb.targetGroupArns.api, containerPort: 3000 }].
 * ```
 *
 * **Cost**: ALB ≈ $0.0225/h × 730 h ≈ $16/month + $0.008 per LCU-hour; access logs ≈
 * $0.023/GB-month in S3 (no delivery charge); alarms $0.10/month each (3 + 1 per target); the
 * origin header's secret $0.40/month.
 */
export class LoadBalancer extends pulumi.ComponentResource {
    readonly loadBalancerArn: pulumi.Output<string>;
    /** `app/<name>/<id>`: the `LoadBalancer` dimension of AWS/ApplicationELB metrics. */
    readonly arnSuffix: pulumi.Output<string>;
    /** The load balancer's DNS name: the CDN's origin domain, or an alias record's target. */
    readonly dnsName: pulumi.Output<string>;
    /** The canonical hosted zone of the load balancer, for Route 53 alias records. */
    readonly zoneId: pulumi.Output<string>;
    /** The load balancer's own security group. */
    readonly securityGroupId: pulumi.Output<string>;
    /** Target group ARN per target name, for each service's `loadBalancers`. */
    readonly targetGroupArns: Record<string, pulumi.Output<string>>;
    /** The HTTPS listener (only with a certificate). */
    readonly httpsListenerArn?: pulumi.Output<string>;
    /** The HTTP listener: a redirect to HTTPS with a certificate, else the one that forwards. */
    readonly httpListenerArn: pulumi.Output<string>;
    /** `X-Origin-Verify`, when the origin header is required: the CDN's origin custom header name. */
    readonly originVerifyHeaderName?: string;
    /** The origin header's value (a secret Output), when required: the CDN's origin custom header value. */
    readonly originVerifyHeaderValue?: pulumi.Output<string>;
    /** The access-log bucket. */
    readonly accessLogsBucketName: pulumi.Output<string>;
    /** ARN of that bucket: an `AccessLogBucket` that receives its server access logs names it. */
    readonly accessLogsBucketArn: pulumi.Output<string>;
    /** Widgets for the stack dashboard: requests, 5XX, latency. */
    readonly dashboardWidgets: DashboardWidget[];
    /** The raw children, for advanced use. */
    readonly nodes: LoadBalancerNodes;

    private readonly name: string;

    constructor(name: string, args: LoadBalancerArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("groundwork:index:LoadBalancer", name, {}, opts);
        this.name = name;
        const cfg = normalizeLoadBalancerArgs(name, args);

        const accessLogs = this.createAccessLogBucket(cfg);
        const security = this.createSecurityGroup(cfg);
        const loadBalancer = this.createLoadBalancer(cfg, security.securityGroup, accessLogs);
        const targetGroups = this.createTargetGroups(cfg);
        const chain = this.createTargetChain(cfg, security.securityGroup);
        const originVerify = cfg.originVerifyHeader ? this.createOriginVerifySecret(cfg) : undefined;
        const listeners = this.createListeners(cfg, loadBalancer, targetGroups, originVerify?.password);
        const webAclAssociation = cfg.webAclArn
            ? new wafv2.WebAclAssociation(
                  `${name}-waf`,
                  { resourceArn: loadBalancer.arn, webAclArn: cfg.webAclArn },
                  { parent: this },
              )
            : undefined;
        const alarms = this.createAlarms(cfg, loadBalancer, targetGroups);

        this.loadBalancerArn = loadBalancer.arn;
        this.arnSuffix = loadBalancer.arnSuffix;
        this.dnsName = loadBalancer.dnsName;
        this.zoneId = loadBalancer.zoneId;
        this.securityGroupId = security.securityGroup.id;
        this.targetGroupArns = Object.fromEntries(Object.entries(targetGroups).map(([k, tg]) => [k, tg.arn]));
        this.httpsListenerArn = listeners.https?.arn;
        this.httpListenerArn = listeners.http.arn;
        this.originVerifyHeaderName = originVerify ? ORIGIN_VERIFY_HEADER : undefined;
        this.originVerifyHeaderValue = originVerify ? pulumi.secret(originVerify.password.result) : undefined;
        this.accessLogsBucketName = accessLogs.bucket.bucket;
        this.accessLogsBucketArn = accessLogs.bucket.arn;
        this.dashboardWidgets = this.createWidgets(loadBalancer);
        this.nodes = {
            loadBalancer,
            securityGroup: security.securityGroup,
            ingressRules: security.ingressRules,
            targetIngressRules: chain.targetIngressRules,
            egressRules: chain.egressRules,
            targetGroups,
            httpListener: listeners.http,
            httpsListener: listeners.https,
            listenerRules: listeners.rules,
            accessLogs,
            originVerify,
            webAclAssociation,
            alarms,
        };
        this.registerOutputs({
            loadBalancerArn: this.loadBalancerArn,
            dnsName: this.dnsName,
            securityGroupId: this.securityGroupId,
            accessLogsBucketName: this.accessLogsBucketName,
            accessLogsBucketArn: this.accessLogsBucketArn,
        });
    }

    /**
     * A bucket only for this load balancer's access logs. SSE-S3, because it is the only server-side
     * encryption ELB log delivery supports (ELB User Guide, "Enable access logs for your Application
     * Load Balancer", bucket requirements); the policy lets only the ELB log-delivery service write,
     * only `s3:PutObject`, only under `AWSLogs/<this account>/` (the key ELB writes), which is what the
     * pack's `enc-s3-sse` accepts as an access-log bucket. No versioning: logs are never overwritten,
     * and the lifecycle expires them.
     */
    private createAccessLogBucket(cfg: NormalizedLoadBalancerArgs): AccessLogNodes {
        const bucket = new s3.Bucket(
            `${this.name}-logs`,
            {
                // AWS appends a unique suffix: bucket names are global across all accounts.
                bucketPrefix: `${stackScopedName(`${this.name}-logs`, 36)}-`,
                forceDestroy: !cfg.protect,
            },
            statefulOptions(this, cfg.protect),
        );
        const { ownership, publicAccessBlock } = lockBucketAccess(`${this.name}-logs`, bucket, this);
        const encryption = new s3.BucketServerSideEncryptionConfiguration(
            `${this.name}-logs-encryption`,
            { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
            { parent: this },
        );
        const lifecycle = new s3.BucketLifecycleConfiguration(
            `${this.name}-logs-lifecycle`,
            {
                bucket: bucket.id,
                rules: [
                    {
                        id: "expire-access-logs",
                        status: "Enabled",
                        filter: { prefix: "" },
                        expiration: { days: cfg.accessLogRetentionDays },
                    },
                    {
                        id: "abort-incomplete-multipart-uploads",
                        status: "Enabled",
                        filter: { prefix: "" },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                    },
                ],
            },
            { parent: this },
        );
        const account = getCallerIdentityOutput({}, { parent: this }).accountId;
        const resources = [bucket.arn, pulumi.interpolate`${bucket.arn}/*`];
        const policy = new s3.BucketPolicy(
            `${this.name}-logs-policy`,
            {
                bucket: bucket.id,
                policy: policyDocument({
                    Version: "2012-10-17",
                    Statement: [
                        ...bucketTlsStatements(resources),
                        {
                            // AWS documents no source condition for this principal; the object key
                            // carries the account, and the load balancer names this bucket.
                            Sid: "ElbAccessLogDelivery",
                            Effect: "Allow",
                            Principal: { Service: ELB_LOG_DELIVERY_SERVICE },
                            Action: "s3:PutObject",
                            Resource: pulumi.interpolate`${bucket.arn}/AWSLogs/${account}/*`,
                        },
                    ],
                }),
            },
            // S3 refuses concurrent changes to a bucket's policy and its public access block.
            { parent: this, dependsOn: [publicAccessBlock] },
        );
        const logging =
            cfg.serverAccessLogBucketName !== undefined
                ? logBucketAccess(`${this.name}-logs`, bucket, cfg.serverAccessLogBucketName, this)
                : undefined;
        return { bucket, ownership, publicAccessBlock, encryption, lifecycle, policy, logging };
    }

    /**
     * The load balancer's group: ingress per `ingress` on the listener ports only, and no egress of
     * its own (no inline rules, so the provider removes the allow-all egress AWS adds); the egress
     * rules to each target are added by {@link createTargetChain}.
     */
    private createSecurityGroup(cfg: NormalizedLoadBalancerArgs): {
        securityGroup: ec2.SecurityGroup;
        ingressRules: vpc.SecurityGroupIngressRule[];
    } {
        const securityGroup = new ec2.SecurityGroup(
            `${this.name}-sg`,
            {
                vpcId: cfg.vpcId,
                description: `Load balancer ${this.name}`,
                tags: { Name: `${this.name}-sg`, [ROLE_TAG]: cfg.publicRole ? "public-alb" : "internal-alb" },
            },
            { parent: this },
        );
        const rule = (suffix: string, description: string, port: number, source: IngressSource) =>
            new vpc.SecurityGroupIngressRule(
                `${this.name}-sg-${suffix}`,
                {
                    securityGroupId: securityGroup.id,
                    description,
                    ipProtocol: "tcp",
                    fromPort: port,
                    toPort: port,
                    ...source,
                },
                { parent: this },
            );
        const ingressRules: vpc.SecurityGroupIngressRule[] = [];
        if (cfg.ingress === "world") {
            for (const port of cfg.listenerPorts) {
                ingressRules.push(
                    rule(`${port}-ipv4`, `Viewers on ${port} (IPv4)`, port, { cidrIpv4: "0.0.0.0/0" }),
                    rule(`${port}-ipv6`, `Viewers on ${port} (IPv6)`, port, { cidrIpv6: "::/0" }),
                );
            }
        } else if (cfg.ingress === "vpc-origin" && cfg.vpcOriginSecurityGroupId !== undefined) {
            ingressRules.push(
                rule(`vpc-origin-${cfg.originPort}`, "CloudFront VPC origin", cfg.originPort, {
                    referencedSecurityGroupId: cfg.vpcOriginSecurityGroupId,
                }),
            );
        } else {
            // One rule only: the prefix list weighs 55 of the group's 60 inbound rules (default quota).
            const prefixList = getManagedPrefixListOutput(
                { name: CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST },
                { parent: this },
            );
            ingressRules.push(
                rule(`cloudfront-${cfg.originPort}`, "CloudFront origin-facing servers", cfg.originPort, {
                    prefixListId: prefixList.id,
                }),
            );
        }
        return { securityGroup, ingressRules };
    }

    private createLoadBalancer(
        cfg: NormalizedLoadBalancerArgs,
        securityGroup: ec2.SecurityGroup,
        accessLogs: AccessLogNodes,
    ): lb.LoadBalancer {
        return new lb.LoadBalancer(
            this.name,
            {
                name: loadBalancerName(`${pulumi.getProject()}-${pulumi.getStack()}-${this.name}`),
                loadBalancerType: "application",
                internal: cfg.scheme === "internal",
                subnets: cfg.subnetIds,
                securityGroups: [securityGroup.id],
                enableDeletionProtection: cfg.deletionProtection,
                idleTimeout: cfg.idleTimeoutSeconds,
                dropInvalidHeaderFields: true,
                desyncMitigationMode: cfg.desyncMitigationMode,
                enableHttp2: true,
                accessLogs: { bucket: accessLogs.bucket.bucket, enabled: true },
                tags: { Name: this.name, ...(cfg.publicRole ? { [ROLE_TAG]: "public-alb" } : {}) },
            },
            {
                parent: this,
                // ELB writes a test object when access logs are enabled: the bucket policy must exist first.
                dependsOn: [accessLogs.policy, accessLogs.encryption, accessLogs.ownership],
                // The name is fixed, so a replacement (a changed scheme) cannot create the new
                // ALB before the old one is gone; deletion protection still stops it in prod.
                deleteBeforeReplace: true,
            },
        );
    }

    private createTargetGroups(cfg: NormalizedLoadBalancerArgs): Record<string, lb.TargetGroup> {
        const scope = `${pulumi.getProject()}-${pulumi.getStack()}-${this.name}`;
        return Object.fromEntries(
            cfg.targets.map((t) => [
                t.name,
                new lb.TargetGroup(
                    `${this.name}-${t.name}`,
                    {
                        name: targetGroupName(scope, t.name, t.port),
                        vpcId: cfg.vpcId,
                        targetType: "ip",
                        protocol: "HTTP",
                        port: t.port,
                        deregistrationDelay: t.deregistrationDelaySeconds,
                        slowStart: t.slowStartSeconds,
                        stickiness:
                            t.stickySeconds !== undefined
                                ? { type: "lb_cookie", enabled: true, cookieDuration: t.stickySeconds }
                                : undefined,
                        // Seed 002's health check.
                        healthCheck: {
                            enabled: true,
                            protocol: "HTTP",
                            port: "traffic-port",
                            path: t.healthCheckPath,
                            matcher: "200",
                            interval: 30,
                            timeout: 5,
                            healthyThreshold: 2,
                            unhealthyThreshold: 3,
                        },
                        tags: { Name: `${this.name}-${t.name}` },
                    },
                    { parent: this },
                ),
            ]),
        );
    }

    /**
     * For each (target security group, port): ingress on the target's group from this group, and
     * this group's egress to it. The health checks use the same path. Rule names carry the port
     * (and, for a second group on the same port, the first target's name), so adding or removing a
     * target that shares an existing pair leaves the pair's rules alone.
     */
    private createTargetChain(
        cfg: NormalizedLoadBalancerArgs,
        securityGroup: ec2.SecurityGroup,
    ): { targetIngressRules: vpc.SecurityGroupIngressRule[]; egressRules: vpc.SecurityGroupEgressRule[] } {
        const targetIngressRules: vpc.SecurityGroupIngressRule[] = [];
        const egressRules: vpc.SecurityGroupEgressRule[] = [];
        for (const pair of targetChainPairs(cfg.targets)) {
            const common = { ipProtocol: "tcp", fromPort: pair.port, toPort: pair.port };
            targetIngressRules.push(
                new vpc.SecurityGroupIngressRule(
                    `${this.name}-${pair.key}-in`,
                    {
                        securityGroupId: pair.securityGroupId,
                        description: `Load balancer ${this.name} (${pair.targets.join(", ")})`,
                        referencedSecurityGroupId: securityGroup.id,
                        ...common,
                    },
                    { parent: this },
                ),
            );
            egressRules.push(
                new vpc.SecurityGroupEgressRule(
                    `${this.name}-${pair.key}-out`,
                    {
                        securityGroupId: securityGroup.id,
                        description: `To ${pair.targets.join(", ")} on ${pair.port}`,
                        referencedSecurityGroupId: pair.securityGroupId,
                        ...common,
                    },
                    { parent: this },
                ),
            );
        }
        return { targetIngressRules, egressRules };
    }

    /** The origin header's value: random, kept in Secrets Manager for operators, and a secret in the state. */
    private createOriginVerifySecret(cfg: NormalizedLoadBalancerArgs): OriginVerifyNodes {
        const password = new RandomPassword(
            `${this.name}-origin-verify`,
            { length: ORIGIN_VERIFY_VALUE_LENGTH, special: false },
            { parent: this },
        );
        const secret = new secretsmanager.Secret(
            `${this.name}-origin-verify`,
            {
                name: secretName(this.name, "origin-verify-header"),
                description: `Value of the ${ORIGIN_VERIFY_HEADER} header CloudFront sends to load balancer ${this.name}`,
                kmsKeyId: cfg.secretKmsKeyArn,
                recoveryWindowInDays: requireRecoveryWindow("LoadBalancer", this.name, undefined, cfg.protect),
            },
            statefulOptions(this, cfg.protect),
        );
        const version = new secretsmanager.SecretVersion(
            `${this.name}-origin-verify`,
            { secretId: secret.id, secretString: pulumi.secret(password.result) },
            { parent: this },
        );
        return { password, secret, version };
    }

    /**
     * With a certificate: 80 redirects (301) to HTTPS and 443 routes; without: 80 routes. The routing
     * listener's default action forwards to the default target, or, with the origin header, answers
     * 403 while one rule per target (the default target's last) forwards requests that carry it.
     */
    private createListeners(
        cfg: NormalizedLoadBalancerArgs,
        loadBalancer: lb.LoadBalancer,
        targetGroups: Record<string, lb.TargetGroup>,
        originVerify: RandomPassword | undefined,
    ): { http: lb.Listener; https?: lb.Listener; rules: lb.ListenerRule[] } {
        const defaultTarget = targetGroups[cfg.defaultTarget];
        const defaultActions: lb.ListenerArgs["defaultActions"] = originVerify
            ? [
                  {
                      type: "fixed-response",
                      fixedResponse: { contentType: "text/plain", statusCode: "403", messageBody: "Forbidden" },
                  },
              ]
            : [{ type: "forward", targetGroupArn: defaultTarget.arn }];
        const https = cfg.certificateArn
            ? new lb.Listener(
                  `${this.name}-https`,
                  {
                      loadBalancerArn: loadBalancer.arn,
                      port: 443,
                      protocol: "HTTPS",
                      sslPolicy: HTTPS_SSL_POLICY,
                      certificateArn: cfg.certificateArn,
                      defaultActions,
                  },
                  { parent: this },
              )
            : undefined;
        const http = new lb.Listener(
            `${this.name}-http`,
            {
                loadBalancerArn: loadBalancer.arn,
                port: 80,
                protocol: "HTTP",
                defaultActions: https
                    ? [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }]
                    : defaultActions,
            },
            { parent: this },
        );
        const routing = https ?? http;
        // pulumi.secret: the value stays encrypted in the state and masked in every plan.
        const header = originVerify
            ? [{ httpHeader: { httpHeaderName: ORIGIN_VERIFY_HEADER, values: [pulumi.secret(originVerify.result)] } }]
            : [];
        const rules = cfg.targets
            .filter((t) => t.priority !== undefined)
            .map(
                (t) =>
                    new lb.ListenerRule(
                        `${this.name}-${t.name}`,
                        {
                            listenerArn: routing.arn,
                            priority: t.priority,
                            conditions: [
                                ...(t.pathPatterns.length > 0 ? [{ pathPattern: { values: t.pathPatterns } }] : []),
                                ...(t.hostHeaders.length > 0 ? [{ hostHeader: { values: t.hostHeaders } }] : []),
                                ...header,
                            ],
                            actions: [{ type: "forward", targetGroupArn: targetGroups[t.name].arn }],
                        },
                        { parent: this },
                    ),
            );
        return { http, https, rules };
    }

    private createAlarms(
        cfg: NormalizedLoadBalancerArgs,
        loadBalancer: lb.LoadBalancer,
        targetGroups: Record<string, lb.TargetGroup>,
    ): cloudwatch.MetricAlarm[] {
        const opts = { parent: this };
        const lbDims = { LoadBalancer: loadBalancer.arnSuffix };
        const perMinute = { statistic: "Sum", period: 60, threshold: 10, comparisonOperator: "GreaterThanThreshold" };
        return [
            createAlarm(
                `${this.name}-target-5xx`,
                {
                    description: `The targets of ${this.name} answered over 10 5XX responses in a minute: the application is failing requests. Check the services' logs and recent deploys.`,
                    severity: "critical",
                    namespace: "AWS/ApplicationELB",
                    metricName: "HTTPCode_Target_5XX_Count",
                    dimensions: lbDims,
                    ...perMinute,
                },
                cfg.alarmRoutes,
                opts,
            ),
            createAlarm(
                `${this.name}-elb-5xx`,
                {
                    description: `Load balancer ${this.name} itself answered over 10 5XX responses in a minute (502/503/504: no healthy target, target connection errors or timeouts). Check target health and the services' security groups.`,
                    severity: "critical",
                    namespace: "AWS/ApplicationELB",
                    metricName: "HTTPCode_ELB_5XX_Count",
                    dimensions: lbDims,
                    ...perMinute,
                },
                cfg.alarmRoutes,
                opts,
            ),
            this.createErrorRateAlarm(cfg, loadBalancer),
            createAlarm(
                `${this.name}-latency`,
                {
                    description: `The targets of ${this.name} took over 1 s on average to respond for 5 minutes. Check the services' CPU, the database and recent deploys.`,
                    severity: "warning",
                    namespace: "AWS/ApplicationELB",
                    metricName: "TargetResponseTime",
                    dimensions: lbDims,
                    statistic: "Average",
                    period: 300,
                    threshold: 1,
                    comparisonOperator: "GreaterThanThreshold",
                },
                cfg.alarmRoutes,
                opts,
            ),
            ...cfg.targets.map((t) =>
                createAlarm(
                    `${this.name}-${t.name}-unhealthy`,
                    {
                        description: `Target group ${t.name} of ${this.name} has had unhealthy targets for 2 minutes: tasks fail the ${t.healthCheckPath} health check on port ${t.port}. Check the service's logs and events.`,
                        severity: "critical",
                        namespace: "AWS/ApplicationELB",
                        metricName: "UnHealthyHostCount",
                        dimensions: {
                            TargetGroup: targetGroups[t.name].arnSuffix,
                            LoadBalancer: loadBalancer.arnSuffix,
                        },
                        statistic: "Maximum",
                        period: 60,
                        // Two minutes: one failed check while a task starts or drains is not an incident.
                        evaluationPeriods: 2,
                        threshold: 0,
                        comparisonOperator: "GreaterThanThreshold",
                    },
                    cfg.alarmRoutes,
                    opts,
                ),
            ),
        ];
    }

    /**
     * Seed 000's "error rate > 5 %": the share of requests answered with a 5XX, the targets' and the
     * load balancer's own, over 5 minutes, as metric math on the ALB's metrics. RequestCount counts
     * only requests that reached a target choice, so the load balancer's own 5XX are added to the
     * denominator too, and FILL(…, 0) turns the absent 5XX series of a healthy period into zeros.
     * Below 50 requests in the period the rate is reported as 0: a single failed request out of three
     * is not a page (the 5XX count alarms still see bursts).
     */
    private createErrorRateAlarm(
        cfg: NormalizedLoadBalancerArgs,
        loadBalancer: lb.LoadBalancer,
    ): cloudwatch.MetricAlarm {
        const metric = (id: string, metricName: string) => ({
            id,
            namespace: "AWS/ApplicationELB",
            metricName,
            dimensions: { LoadBalancer: loadBalancer.arnSuffix },
            stat: "Sum",
        });
        return createMathAlarm(
            `${this.name}-error-rate`,
            {
                description: `Over ${ERROR_RATE_PERCENT} % of the requests to ${this.name} failed with a 5XX for 5 minutes (targets' and the load balancer's own). Check the services' logs, target health and recent deploys.`,
                severity: "critical",
                metrics: [
                    metric("requests", "RequestCount"),
                    metric("target5xx", "HTTPCode_Target_5XX_Count"),
                    metric("elb5xx", "HTTPCode_ELB_5XX_Count"),
                ],
                expression: ERROR_RATE_EXPRESSION,
                label: "5XX error rate (%)",
                period: 300,
                threshold: ERROR_RATE_PERCENT,
                comparisonOperator: "GreaterThanThreshold",
            },
            cfg.alarmRoutes,
            { parent: this },
        );
    }

    private createWidgets(loadBalancer: lb.LoadBalancer): DashboardWidget[] {
        const row = (metric: string) => ["AWS/ApplicationELB", metric, "LoadBalancer", loadBalancer.arnSuffix];
        const hidden = (metric: string, id: string) => [...row(metric), { id, visible: false }];
        return [
            metricWidget(`${this.name}: requests`, [row("RequestCount")], { stat: "Sum", period: 60, width: 8 }),
            metricWidget(
                `${this.name}: 4XX and 5XX responses`,
                [
                    row("HTTPCode_Target_4XX_Count"),
                    row("HTTPCode_ELB_4XX_Count"),
                    row("HTTPCode_Target_5XX_Count"),
                    row("HTTPCode_ELB_5XX_Count"),
                ],
                { stat: "Sum", period: 60, width: 8 },
            ),
            metricWidget(`${this.name}: target response time (s)`, [row("TargetResponseTime")], {
                stat: "Average",
                period: 60,
                width: 8,
            }),
            // The error-rate alarm's expression, graphed with its threshold in mind.
            metricWidget(
                `${this.name}: 5XX error rate (%)`,
                [
                    [{ expression: ERROR_RATE_EXPRESSION, label: "5XX error rate (%)", id: "e1" }],
                    hidden("RequestCount", "requests"),
                    hidden("HTTPCode_Target_5XX_Count", "target5xx"),
                    hidden("HTTPCode_ELB_5XX_Count", "elb5xx"),
                ],
                { stat: "Sum", period: 300, width: 24 },
            ),
        ];
    }
}

/** The access-log bucket's children. */
export interface AccessLogNodes {
    bucket: s3.Bucket;
    ownership: s3.BucketOwnershipControls;
    publicAccessBlock: s3.BucketPublicAccessBlock;
    encryption: s3.BucketServerSideEncryptionConfiguration;
    lifecycle: s3.BucketLifecycleConfiguration;
    policy: s3.BucketPolicy;
    /** Only with `serverAccessLogBucketName`. */
    logging?: s3.BucketLogging;
}

/** The origin header's children. */
export interface OriginVerifyNodes {
    password: RandomPassword;
    secret: secretsmanager.Secret;
    version: secretsmanager.SecretVersion;
}

export interface LoadBalancerNodes {
    loadBalancer: lb.LoadBalancer;
    securityGroup: ec2.SecurityGroup;
    /** Ingress on the load balancer's group. */
    ingressRules: vpc.SecurityGroupIngressRule[];
    /** Ingress on the targets' groups from the load balancer's group. */
    targetIngressRules: vpc.SecurityGroupIngressRule[];
    /** The load balancer group's only egress: to each target group and port. */
    egressRules: vpc.SecurityGroupEgressRule[];
    targetGroups: Record<string, lb.TargetGroup>;
    httpListener: lb.Listener;
    httpsListener?: lb.Listener;
    listenerRules: lb.ListenerRule[];
    accessLogs: AccessLogNodes;
    originVerify?: OriginVerifyNodes;
    webAclAssociation?: wafv2.WebAclAssociation;
    alarms: cloudwatch.MetricAlarm[];
}

type IngressSource =
    | { cidrIpv4: string }
    | { cidrIpv6: string }
    | { prefixListId: pulumi.Input<string> }
    | { referencedSecurityGroupId: pulumi.Input<string> };

/** A target after defaults; `priority` is its listener rule's (undefined: the default target without a rule). */
export interface NormalizedTarget {
    name: string;
    port: number;
    healthCheckPath: string;
    securityGroupId: pulumi.Input<string>;
    pathPatterns: string[];
    hostHeaders: string[];
    stickySeconds?: number;
    slowStartSeconds?: number;
    deregistrationDelaySeconds: number;
    priority?: number;
}

export interface NormalizedLoadBalancerArgs {
    vpcId: pulumi.Input<string>;
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    scheme: LoadBalancerScheme;
    ingress: LoadBalancerIngress;
    /** Whether the load balancer and its group are the internet-facing ones (tagged `public-alb`). */
    publicRole: boolean;
    certificateArn?: pulumi.Input<string>;
    /** The ports with a listener: 80 and 443 with a certificate, else 80. */
    listenerPorts: number[];
    /** The port CloudFront (or anyone, for `world`) reaches the routing listener on: 443 with a certificate, else 80. */
    originPort: number;
    originVerifyHeader: boolean;
    secretKmsKeyArn?: pulumi.Input<string>;
    vpcOriginSecurityGroupId?: pulumi.Input<string>;
    targets: NormalizedTarget[];
    /** Name of the target without path or host conditions. */
    defaultTarget: string;
    deletionProtection: boolean;
    idleTimeoutSeconds: number;
    desyncMitigationMode: DesyncMitigationMode;
    accessLogRetentionDays: number;
    serverAccessLogBucketName?: pulumi.Input<string>;
    alarmRoutes: AlarmRoutes;
    webAclArn?: pulumi.Input<string>;
    protect: boolean;
}

/** The priority of the default target's rule (with the origin header): ALB's highest, so it is evaluated last. */
export const DEFAULT_RULE_PRIORITY = 50000;

const TARGET_NAME = /^[a-z][a-z0-9-]{0,31}$/;
const PATH_PATTERN = /^\/[A-Za-z0-9_\-.$/~"'@:+&()!,;=*?]{0,127}$/;
const HOST_HEADER = /^[A-Za-z0-9*?][A-Za-z0-9*?.-]{0,127}$/;

/** Applies defaults and validates; every error names the argument. Exported for tests. */
export function normalizeLoadBalancerArgs(name: string, args: LoadBalancerArgs): NormalizedLoadBalancerArgs {
    const check = new ArgChecker("LoadBalancer", name, args);
    const scheme = check.oneOf("scheme", args.scheme ?? "internet-facing", LOAD_BALANCER_SCHEMES);
    if (args.ingress === undefined) {
        check.fail("ingress", `is required: one of ${LOAD_BALANCER_INGRESS.join(", ")}`);
    }
    const ingress = check.oneOf("ingress", args.ingress, LOAD_BALANCER_INGRESS);
    if (ingress === "vpc-origin" && scheme !== "internal") {
        check.fail("ingress", `is "vpc-origin", which needs scheme "internal" (a VPC origin reaches a private ALB)`);
    }
    if (ingress !== "vpc-origin" && scheme === "internal") {
        check.fail("ingress", `is ${JSON.stringify(ingress)}; an internal load balancer is reached by "vpc-origin"`);
    }
    if (args.vpcOriginSecurityGroupId !== undefined && ingress !== "vpc-origin") {
        check.fail(
            "vpcOriginSecurityGroupId",
            `is only for ingress "vpc-origin" (ingress is ${JSON.stringify(ingress)})`,
        );
    }
    const originVerifyHeader = args.originVerifyHeader ?? ingress === "cloudfront";
    if (originVerifyHeader && ingress === "world") {
        check.fail(
            "originVerifyHeader",
            'is true with ingress "world": viewers reach the load balancer directly and never send the header',
        );
    }
    if (Array.isArray(args.subnetIds) && args.subnetIds.length < 2) {
        check.fail("subnetIds", `has ${args.subnetIds.length} subnet(s); an ALB needs subnets in at least two AZs`);
    }
    const { targets, defaultTarget } = normalizeTargets(check, args.targets, originVerifyHeader);
    const certified = args.certificateArn !== undefined;
    return {
        vpcId: args.vpcId,
        subnetIds: args.subnetIds,
        scheme,
        ingress,
        publicRole: scheme === "internet-facing",
        certificateArn: args.certificateArn,
        listenerPorts: certified ? [80, 443] : [80],
        originPort: certified ? 443 : 80,
        originVerifyHeader,
        secretKmsKeyArn: args.secretKmsKeyArn,
        vpcOriginSecurityGroupId: args.vpcOriginSecurityGroupId,
        targets,
        defaultTarget,
        deletionProtection: args.deletionProtection ?? false,
        idleTimeoutSeconds: check.int("idleTimeoutSeconds", 60, 1, 4000),
        desyncMitigationMode: check.oneOf(
            "desyncMitigationMode",
            args.desyncMitigationMode ?? "defensive",
            DESYNC_MITIGATION_MODES,
        ),
        accessLogRetentionDays: check.int("accessLogRetentionDays", 90, 1, 3650),
        serverAccessLogBucketName: args.serverAccessLogBucketName,
        alarmRoutes: alarmRoutes(args.alarmTopicArn, args.criticalAlarmTopicArn),
        webAclArn: args.webAclArn,
        protect: args.protect ?? false,
    };
}

function normalizeTargets(
    check: ArgChecker<LoadBalancerArgs>,
    targets: LoadBalancerTarget[] | undefined,
    originVerifyHeader: boolean,
): { targets: NormalizedTarget[]; defaultTarget: string } {
    if (!Array.isArray(targets) || targets.length === 0) {
        check.fail("targets", "is empty; give at least one target (the default, without pathPatterns or hostHeaders)");
    }
    const seen = new Set<string>();
    const bounded = (target: string, field: string, value: number | undefined, min: number, max: number) => {
        if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) {
            check.fail("targets", `has ${target}.${field} ${value}; must be a whole number from ${min} to ${max}`);
        }
        return value;
    };
    const normalized = targets.map((t, i): NormalizedTarget => {
        const label = typeof t.name === "string" ? JSON.stringify(t.name) : `[${i}]`;
        if (typeof t.name !== "string" || !TARGET_NAME.test(t.name)) {
            check.fail(
                "targets",
                `has name ${label}; use 1-32 lower-case letters, digits and hyphens, starting with a letter`,
            );
        }
        if (seen.has(t.name)) {
            check.fail("targets", `lists ${label} twice; target names must be unique`);
        }
        seen.add(t.name);
        bounded(label, "port", t.port, 1, 65535);
        if (t.port === undefined) {
            check.fail("targets", `has ${label} without a port`);
        }
        if (typeof t.healthCheckPath !== "string" || !/^\/\S{0,1023}$/.test(t.healthCheckPath)) {
            check.fail(
                "targets",
                `has ${label}.healthCheckPath ${JSON.stringify(t.healthCheckPath)}; expected a path such as /api/health`,
            );
        }
        const pathPatterns = t.pathPatterns ?? [];
        const hostHeaders = t.hostHeaders ?? [];
        const badPath = pathPatterns.find((p) => !PATH_PATTERN.test(p));
        if (badPath !== undefined) {
            check.fail(
                "targets",
                `has ${label}.pathPatterns ${JSON.stringify(badPath)}; expected a path pattern such as /api/* (up to 128 characters)`,
            );
        }
        const badHost = hostHeaders.find((h) => !HOST_HEADER.test(h));
        if (badHost !== undefined) {
            check.fail(
                "targets",
                `has ${label}.hostHeaders ${JSON.stringify(badHost)}; expected a host name such as api.example.com (up to 128 characters)`,
            );
        }
        for (const [field, values] of [
            ["pathPatterns", pathPatterns],
            ["hostHeaders", hostHeaders],
        ] as const) {
            if (values.length > RULE_LIMITS.valuesPerCondition) {
                check.fail(
                    "targets",
                    `has ${values.length} ${label}.${field}; an ALB rule condition takes at most ${RULE_LIMITS.valuesPerCondition}`,
                );
            }
        }
        const values = pathPatterns.length + hostHeaders.length + (originVerifyHeader ? 1 : 0);
        if (values > RULE_LIMITS.valuesPerRule) {
            check.fail(
                "targets",
                `has ${label} with ${values} condition values${originVerifyHeader ? " (the origin header counts one)" : ""}; an ALB rule takes at most ${RULE_LIMITS.valuesPerRule}`,
            );
        }
        return {
            name: t.name,
            port: t.port,
            healthCheckPath: t.healthCheckPath,
            securityGroupId: t.securityGroupId,
            pathPatterns,
            hostHeaders,
            stickySeconds: bounded(label, "stickySeconds", t.stickySeconds, 1, 604800),
            slowStartSeconds: bounded(label, "slowStartSeconds", t.slowStartSeconds, 30, 900),
            deregistrationDelaySeconds:
                bounded(label, "deregistrationDelaySeconds", t.deregistrationDelaySeconds ?? 30, 0, 3600) ?? 30,
        };
    });
    const defaults = normalized.filter((t) => t.pathPatterns.length === 0 && t.hostHeaders.length === 0);
    if (defaults.length !== 1) {
        check.fail(
            "targets",
            defaults.length === 0
                ? "has no default target; exactly one target must have neither pathPatterns nor hostHeaders"
                : `has ${defaults.length} default targets (${defaults.map((t) => t.name).join(", ")}); exactly one target may have neither pathPatterns nor hostHeaders`,
        );
    }
    const defaultTarget = defaults[0].name;
    let priority = 0;
    for (const t of normalized) {
        t.priority = t.name === defaultTarget ? (originVerifyHeader ? DEFAULT_RULE_PRIORITY : undefined) : ++priority;
    }
    return { targets: normalized, defaultTarget };
}

/** One (target security group, port) pair of the chain and the targets that share it. */
export interface TargetChainPair {
    /** Stable part of the rules' logical names: `<port>`, or `<port>-<first target>` for a second group on that port. */
    key: string;
    port: number;
    securityGroupId: pulumi.Input<string>;
    targets: string[];
}

/**
 * Groups targets by security group and port (AWS refuses a duplicate rule, so targets sharing both
 * share one rule pair). Security groups compare by value for strings and by identity for Outputs.
 */
export function targetChainPairs(targets: NormalizedTarget[]): TargetChainPair[] {
    const pairs: TargetChainPair[] = [];
    for (const t of targets) {
        const same = pairs.find((p) => p.port === t.port && p.securityGroupId === t.securityGroupId);
        if (same) {
            same.targets.push(t.name);
            continue;
        }
        const onPort = pairs.some((p) => p.port === t.port);
        pairs.push({
            key: onPort ? `${t.port}-${t.name}` : `${t.port}`,
            port: t.port,
            securityGroupId: t.securityGroupId,
            targets: [t.name],
        });
    }
    return pairs;
}
