import * as pulumi from "@pulumi/pulumi";
import * as cloudfront from "@pulumi/aws/cloudfront";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import type { PolicyStatement } from "@pulumi/aws/iam/documents";
import type * as inputs from "@pulumi/aws/types/input";
import { KmsKey, createKmsKey } from "./kms-key";
import { AlarmRoutes, DashboardWidget, alarmRoutes, createAlarm, metricWidget } from "./internal/alarms";
import { ArgChecker } from "./internal/args";
import { arnRegion } from "./internal/regions";
import { createLogDeliveryPolicy } from "./internal/log-delivery";
import { stackScopedName } from "./internal/naming";
import { logRetentionProblem } from "./internal/rules";

/**
 * CloudFront is global, but everything regional about it lives in us-east-1: its metrics, its
 * standard logging v2 delivery source, ACM certificates for aliases and CLOUDFRONT-scope WAF web
 * ACLs. An alarm evaluates only metrics of its own region (CloudWatch User Guide, cross-Region
 * functionality "is not supported for alarms"; the CDK refuses such an alarm, aws-cdk#30483) and
 * notifies only SNS topics of its own region (PutMetricAlarm answers "Invalid region … specified"),
 * so the alarm and its topic are there too. The AWS provider v7 takes a per-resource `region`
 * (its Distribution docs create the v2 logging resources with `region: "us-east-1"`), so the
 * component places those children there without a second provider.
 */
export const CLOUDFRONT_REGION = "us-east-1";

/**
 * CloudFront's managed policies, by the IDs the CloudFront Developer Guide documents for the API
 * ("Use managed cache policies", "Use managed origin request policies"). They are fixed AWS-wide,
 * so no lookup (and no data-source call on every preview) is needed.
 */
export const MANAGED_POLICY_IDS = {
    /** Managed-CachingDisabled: TTL 0, nothing in the cache key; for the dynamic app. */
    cachingDisabled: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
    /** Managed-CachingOptimized: 1 day default TTL, no cookies or query strings in the key, gzip and brotli. */
    cachingOptimized: "658327ea-f89d-4fab-a63d-7e88639e58f6",
    /**
     * Managed-AllViewerExceptHostHeader: every viewer header, cookie and query string except `Host`,
     * which CloudFront sets to the origin's domain so TLS to the origin validates against its
     * certificate.
     */
    allViewerExceptHostHeader: "b689b0a8-53d0-40ab-baf2-68738e2966ac",
} as const;

/** How CloudFront reaches the app origin. */
export const ORIGIN_PROTOCOLS = ["https-only", "http-only"] as const;
export type OriginProtocol = (typeof ORIGIN_PROTOCOLS)[number];

/** CloudFront's price classes: which edge locations serve the distribution. */
export const PRICE_CLASSES = ["PriceClass_100", "PriceClass_200", "PriceClass_All"] as const;

/**
 * A Content-Security-Policy that allows only this origin's own scripts, styles, images and fetches,
 * forbids framing, plugins and `<base>` hijacking. Strict on purpose: an app that loads scripts
 * from elsewhere (analytics, a CDN, Next.js inline scripts without nonces) names them in
 * `contentSecurityPolicy`.
 */
export const DEFAULT_CONTENT_SECURITY_POLICY =
    "default-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'self'";

/**
 * The longest Content-Security-Policy value a response headers policy takes (CloudFront quotas,
 * "Response headers policies"; longer is refused with TooLongCSPInResponseHeadersPolicy).
 */
export const MAX_CONTENT_SECURITY_POLICY_LENGTH = 1783;

/** One year, the HSTS max-age the browsers' preload list and the pack's tls-cloudfront-hsts ask for. */
export const HSTS_MAX_AGE_SECONDS = 31536000;

/** The origin ID of the application (default behaviour) and of the assets bucket. */
export const APP_ORIGIN_ID = "app";
export const ASSETS_ORIGIN_ID = "assets";

/**
 * The bucket-policy statement that lets this distribution (and no other) read the assets bucket's
 * objects through origin access control: `s3:GetObject` on `<bucket>/*` for
 * `cloudfront.amazonaws.com`, conditioned on `AWS:SourceArn` = the distribution's ARN (CloudFront
 * Developer Guide, "Restrict access to an Amazon S3 origin"). The Cdn never writes the bucket's
 * policy itself (S3 keeps one policy per bucket, which the Bucket component owns): pass this to the
 * bucket's `policyStatements`, with the distribution's ARN through `pulumi.deferredOutput()` (the
 * distribution needs the bucket's domain first). `bucketArn` may be undefined there: the Bucket
 * component points a statement without `Resource` at its own objects, and its ARN is not known
 * before it exists.
 */
export function cdnBucketReadStatement(
    bucketArn: pulumi.Input<string> | undefined,
    distributionArn: pulumi.Input<string>,
): PolicyStatement {
    return {
        Sid: "CloudFrontReadsObjects",
        Effect: "Allow",
        Principal: { Service: "cloudfront.amazonaws.com" },
        Action: "s3:GetObject",
        ...(bucketArn === undefined ? {} : { Resource: pulumi.interpolate`${bucketArn}/*` }),
        Condition: { StringEquals: { "AWS:SourceArn": distributionArn } },
    };
}

/** A header CloudFront adds to every request it sends to the app origin. */
export interface OriginHeader {
    /** Header name, e.g. `X-Origin-Verify`. */
    name: string;
    /** Header value; a secret (the load balancer compares it). */
    value: pulumi.Input<string>;
}

export interface CdnArgs {
    /**
     * Domain name of the app origin: the load balancer's DNS name, or a record of yours that points
     * at it. With `originProtocol: https-only`, CloudFront checks the origin's certificate against
     * this name, so it must be a name on the load balancer's certificate.
     */
    originDomainName: pulumi.Input<string>;
    /**
     * `https-only` (TLS 1.2 to the origin), or `http-only`, only for a load balancer without a
     * certificate (a dev stack without a DNS zone): requests then cross the internet, or the VPC,
     * in clear between CloudFront and the load balancer, origin header included. The pack's
     * `tls-cloudfront-origin` flags it (advisory under policy/dev.json).
     * @default "https-only"
     */
    originProtocol?: string;
    /**
     * A custom header CloudFront adds to every request to the app origin, so an internet-facing
     * load balancer forwards only requests that came through CloudFront (CloudFront Developer
     * Guide, "Restrict access to Application Load Balancers"). The value is a secret.
     * @default undefined (no header)
     */
    originVerifyHeader?: OriginHeader;
    /**
     * ARN of an internal Application Load Balancer: the app origin becomes a CloudFront VPC origin
     * (`aws.cloudfront.VpcOrigin`), so the load balancer needs no public address at all. Its
     * security group must admit CloudFront's VPC origin (see the class doc). Changing it replaces
     * the VPC origin.
     * @default undefined (the origin is reached over the internet)
     */
    vpcOriginAlbArn?: pulumi.Input<string>;
    /** The assets bucket's regional domain name (`<bucket>.s3.<region>.amazonaws.com`). */
    assetsBucketRegionalDomainName: pulumi.Input<string>;
    /**
     * Path pattern served from the assets bucket (cached); everything else goes to the app.
     * @default "/assets/*"
     */
    assetsPathPattern?: string;
    /**
     * Host names the distribution answers to (`app.example.com`). Requires `certificateArn`.
     * Without them the distribution answers on its `*.cloudfront.net` name with CloudFront's
     * certificate, still over HTTPS.
     * @default []
     */
    aliases?: string[];
    /**
     * ARN of an ACM certificate in us-east-1 (CloudFront takes certificates only from there)
     * covering every alias; served by SNI with TLS 1.2 at least (`TLSv1.2_2021`). Required with
     * `aliases`.
     * @default undefined (CloudFront's certificate)
     */
    certificateArn?: pulumi.Input<string>;
    /**
     * `PriceClass_100` (North America, Europe, Israel), `PriceClass_200` (+ most of Asia, Middle
     * East, Africa) or `PriceClass_All`. Viewers elsewhere are served from the nearest included
     * location, slower but at no extra request price.
     * @default "PriceClass_100"
     */
    priceClass?: string;
    /**
     * Send `preload` in the HSTS header, asking browsers' preload lists to include the domain
     * (submission at hstspreload.org is a separate step). Leaving the list takes months of browser
     * releases, and every subdomain must then serve HTTPS, so it is opt-in.
     * @default false
     */
    hstsPreload?: boolean;
    /**
     * The Content-Security-Policy header sent with every response (it replaces the origin's).
     * @default DEFAULT_CONTENT_SECURITY_POLICY (same-origin only, no framing)
     */
    contentSecurityPolicy?: string;
    /**
     * ARN of a WAFv2 web ACL of scope CLOUDFRONT (created in us-east-1) to attach. The pack's
     * `net-cf-oac` requires one in prod.
     * @default undefined (no WAF)
     */
    webAclArn?: pulumi.Input<string>;
    /**
     * Days the access log group keeps its logs (a CloudWatch Logs retention period).
     * @default 30
     */
    logRetentionDays?: number;
    /**
     * ARN of the SNS topic for the distribution's alarm. It must be in us-east-1: CloudFront's
     * metrics exist only there, and a CloudWatch alarm notifies topics of its own region only (see
     * `Monitoring`'s `edgeAlarmTopicArn`).
     */
    alarmTopicArn: pulumi.Input<string>;
    /**
     * SNS topic of the critical alarms (they page someone) of the same region (us-east-1); `alarmTopicArn` then carries
     * the warnings only. Monitoring's `criticalAlarmTopicArn`.
     * @default alarmTopicArn (one route for both severities)
     */
    criticalAlarmTopicArn?: pulumi.Input<string>;
    /**
     * Protect the access-log key (`protect` and `retainOnDelete`): the logs are unreadable without
     * it. Set it in prod.
     * @default false
     */
    protect?: boolean;
}

/** The raw children of a {@link Cdn}. An interface, so that the component package's schema can carry it. */
export interface CdnNodes {
    distribution: cloudfront.Distribution;
    originAccessControl: cloudfront.OriginAccessControl;
    responseHeadersPolicy: cloudfront.ResponseHeadersPolicy;
    /** Only with `vpcOriginAlbArn`. */
    vpcOrigin?: cloudfront.VpcOrigin;
    logs: CdnLogNodes;
    alarms: cloudwatch.MetricAlarm[];
}

/**
 * A CloudFront distribution in front of the application and its static assets:
 *
 * - the app origin (a load balancer, over HTTPS with TLS 1.2, or as a VPC origin) takes every
 *   request by default, uncached (managed CachingDisabled) with every viewer header, cookie and
 *   query string but `Host` (managed AllViewerExceptHostHeader), all methods, and an optional
 *   secret origin header;
 * - `assetsPathPattern` is served from the assets bucket through origin access control (SigV4,
 *   always signed; no legacy OAI), cached with the managed CachingOptimized policy;
 * - viewers are redirected to HTTPS (TLS 1.2+ with an alias certificate), HTTP/2 and HTTP/3, IPv6,
 *   compression, and a response headers policy: HSTS one year with subdomains, a
 *   Content-Security-Policy, `nosniff`, `X-Frame-Options: DENY`, `strict-origin-when-cross-origin`;
 * - access logs through CloudFront standard logging v2 to a KMS-encrypted log group in us-east-1
 *   (the legacy S3 logging needs bucket ACLs, which the pack forbids);
 * - a critical alarm on the 5xx error rate (above 5 % over 5 minutes), in us-east-1.
 *
 * The assets bucket must grant the distribution read access ({@link cdnBucketReadStatement} in the
 * Bucket's `policyStatements`) and its key must let CloudFront decrypt (`kmsServicePrincipals`
 * with `kmsServiceSourceArns`), both with the distribution's ARN, passed deferred:
 *
 * ```ts
 * const [cdnArn, setCdnArn] = pulumi.deferredOutput<string>();
 * const assets = new Bucket("assets", {
 *     kmsServicePrincipals: ["cloudfront.amazonaws.com"],
 *     kmsServiceSourceArns: { "cloudfront.amazonaws.com": [cdnArn] },
 *     policyStatements: [cdnBucketReadStatement(undefined, cdnArn)], // Resource: the bucket's objects
 * });
 * const cdn = new Cdn("cdn", {
 *     originDomainName: alb.dnsName,
 *     originVerifyHeader: { name: "X-Origin-Verify", value: originSecret.result },
 *     assetsBucketRegionalDomainName: assets.regionalDomainName,
 *     aliases: ["app.example.com"],
 *     certificateArn: usEast1Certificate.arn,
 *     webAclArn: waf.webAclArn,
 *     alarmTopicArn: monitoring.edgeAlarmTopicArn,
 *     criticalAlarmTopicArn: monitoring.edgeCriticalAlarmTopicArn,
 * });
 * setCdnArn(cdn.distributionArn);
 * ```
 *
 * With `vpcOriginAlbArn`, CloudFront reaches an internal load balancer through a VPC origin: it
 * places network interfaces in the load balancer's subnets (one private IPv4 address each), whose
 * service-managed security group `CloudFront-VPCOrigins-Service-SG` appears only once the first VPC
 * origin of the VPC exists. The load balancer's security group therefore admits CloudFront through
 * the `com.amazonaws.global.cloudfront.origin-facing` managed prefix list, which exists from the
 * start; the VPC needs an internet gateway attached, though the traffic does not use it (CloudFront
 * Developer Guide, "Restrict access with VPC origins"). With `https-only`, `originDomainName` must
 * be a name on the load balancer's certificate (CloudFront sends it as SNI), not the internal DNS
 * name. Moving a VPC origin from HTTP to HTTPS may not update in place (reported by users of the
 * Terraform provider); plan for replacing the VPC origin (`pulumi up --target-replace`).
 *
 * **Cost**: requests $0.0075-0.016 per 10,000 (HTTPS) + data out $0.085/GB (first TB a month free
 * on the free tier) + standard logging v2 to CloudWatch Logs $0.50/GB ingested + storage + KMS key
 * $1/month + alarm $0.10/month; no charge for the VPC origin itself.
 */
export class Cdn extends pulumi.ComponentResource {
    /** The distribution's ARN (bucket policy and key grants: `AWS:SourceArn`). */
    readonly distributionArn: pulumi.Output<string>;
    /** The distribution's ID (the `DistributionId` dimension of its metrics). */
    readonly distributionId: pulumi.Output<string>;
    /** `<id>.cloudfront.net`: the target of Route 53 alias records, and the site's name without a zone. */
    readonly domainName: pulumi.Output<string>;
    /** CloudFront's hosted zone ID, for Route 53 alias records. */
    readonly hostedZoneId: pulumi.Output<string>;
    /** Widgets for the stack dashboard (their metrics are read in us-east-1). */
    readonly dashboardWidgets: DashboardWidget[];
    /** The raw children, for advanced use. */
    readonly nodes: CdnNodes;

    private readonly name: string;

    constructor(name: string, args: CdnArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("groundwork:index:Cdn", name, {}, opts);
        this.name = name;
        const cfg = normalizeCdnArgs(name, args);

        const originAccessControl = this.createOriginAccessControl();
        const responseHeadersPolicy = this.createResponseHeadersPolicy(cfg);
        const vpcOrigin = cfg.vpcOriginAlbArn ? this.createVpcOrigin(cfg, cfg.vpcOriginAlbArn) : undefined;
        const distribution = this.createDistribution(cfg, originAccessControl, responseHeadersPolicy, vpcOrigin);
        const logs = this.createAccessLogging(cfg, distribution);
        const alarms = [this.createErrorRateAlarm(distribution, cfg.alarmRoutes)];

        this.distributionArn = distribution.arn;
        this.distributionId = distribution.id;
        this.domainName = distribution.domainName;
        this.hostedZoneId = distribution.hostedZoneId;
        this.dashboardWidgets = this.createWidgets(distribution);
        this.nodes = { distribution, originAccessControl, responseHeadersPolicy, vpcOrigin, logs, alarms };
        this.registerOutputs({
            distributionArn: this.distributionArn,
            distributionId: this.distributionId,
            domainName: this.domainName,
            hostedZoneId: this.hostedZoneId,
        });
    }

    /** SigV4 on every request, so the bucket can refuse anything not signed by this distribution. */
    private createOriginAccessControl(): cloudfront.OriginAccessControl {
        return new cloudfront.OriginAccessControl(
            `${this.name}-assets`,
            {
                name: stackScopedName(`${this.name}-assets`, 64),
                description: `Signs ${this.name}'s requests to the assets bucket`,
                originAccessControlOriginType: "s3",
                signingBehavior: "always",
                signingProtocol: "sigv4",
            },
            { parent: this },
        );
    }

    /**
     * Every header overrides the origin's, so the app cannot weaken them by accident. No
     * X-XSS-Protection: browsers dropped the filter it controls, and a CSP replaces it.
     */
    private createResponseHeadersPolicy(cfg: NormalizedCdnArgs): cloudfront.ResponseHeadersPolicy {
        return new cloudfront.ResponseHeadersPolicy(
            `${this.name}-security-headers`,
            {
                name: stackScopedName(`${this.name}-security-headers`, 128),
                comment: `Security headers of ${this.name}`,
                securityHeadersConfig: {
                    strictTransportSecurity: {
                        accessControlMaxAgeSec: HSTS_MAX_AGE_SECONDS,
                        includeSubdomains: true,
                        preload: cfg.hstsPreload,
                        override: true,
                    },
                    contentSecurityPolicy: { contentSecurityPolicy: cfg.contentSecurityPolicy, override: true },
                    contentTypeOptions: { override: true },
                    frameOptions: { frameOption: "DENY", override: true },
                    referrerPolicy: { referrerPolicy: "strict-origin-when-cross-origin", override: true },
                },
            },
            { parent: this },
        );
    }

    /** The internal load balancer as a VPC origin; the same protocol rule as an internet origin. */
    private createVpcOrigin(cfg: NormalizedCdnArgs, albArn: pulumi.Input<string>): cloudfront.VpcOrigin {
        return new cloudfront.VpcOrigin(
            `${this.name}-app`,
            {
                vpcOriginEndpointConfig: {
                    name: stackScopedName(`${this.name}-app`, 64),
                    arn: albArn,
                    httpPort: 80,
                    httpsPort: 443,
                    originProtocolPolicy: cfg.originProtocol,
                    originSslProtocols: { items: ["TLSv1.2"], quantity: 1 },
                },
            },
            { parent: this },
        );
    }

    private createDistribution(
        cfg: NormalizedCdnArgs,
        oac: cloudfront.OriginAccessControl,
        headers: cloudfront.ResponseHeadersPolicy,
        vpcOrigin: cloudfront.VpcOrigin | undefined,
    ): cloudfront.Distribution {
        const appOrigin: inputs.cloudfront.DistributionOrigin = {
            originId: APP_ORIGIN_ID,
            domainName: cfg.originDomainName,
            ...(vpcOrigin
                ? { vpcOriginConfig: { vpcOriginId: vpcOrigin.id } }
                : {
                      customOriginConfig: {
                          httpPort: 80,
                          httpsPort: 443,
                          originProtocolPolicy: cfg.originProtocol,
                          originSslProtocols: ["TLSv1.2"],
                      },
                  }),
            ...(cfg.originVerifyHeader
                ? {
                      customHeaders: [
                          { name: cfg.originVerifyHeader.name, value: pulumi.secret(cfg.originVerifyHeader.value) },
                      ],
                  }
                : {}),
        };
        return new cloudfront.Distribution(
            this.name,
            {
                enabled: true,
                comment: stackScopedName(this.name, 128),
                aliases: cfg.aliases.length > 0 ? cfg.aliases : undefined,
                httpVersion: "http2and3",
                isIpv6Enabled: true,
                priceClass: cfg.priceClass,
                webAclId: cfg.webAclArn,
                origins: [
                    appOrigin,
                    // No s3OriginConfig: with origin access control there is no OAI to name.
                    {
                        originId: ASSETS_ORIGIN_ID,
                        domainName: cfg.assetsBucketRegionalDomainName,
                        originAccessControlId: oac.id,
                    },
                ],
                defaultCacheBehavior: {
                    targetOriginId: APP_ORIGIN_ID,
                    viewerProtocolPolicy: "redirect-to-https",
                    allowedMethods: ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"],
                    cachedMethods: ["GET", "HEAD"],
                    compress: true,
                    cachePolicyId: MANAGED_POLICY_IDS.cachingDisabled,
                    originRequestPolicyId: MANAGED_POLICY_IDS.allViewerExceptHostHeader,
                    responseHeadersPolicyId: headers.id,
                },
                orderedCacheBehaviors: [
                    {
                        pathPattern: cfg.assetsPathPattern,
                        targetOriginId: ASSETS_ORIGIN_ID,
                        viewerProtocolPolicy: "redirect-to-https",
                        // OPTIONS for CORS preflights of fonts and scripts loaded cross-origin.
                        allowedMethods: ["GET", "HEAD", "OPTIONS"],
                        cachedMethods: ["GET", "HEAD"],
                        compress: true,
                        cachePolicyId: MANAGED_POLICY_IDS.cachingOptimized,
                        responseHeadersPolicyId: headers.id,
                    },
                ],
                restrictions: { geoRestriction: { restrictionType: "none" } },
                viewerCertificate: cfg.certificateArn
                    ? {
                          acmCertificateArn: cfg.certificateArn,
                          minimumProtocolVersion: "TLSv1.2_2021",
                          // SNI: a dedicated-IP certificate costs $600/month.
                          sslSupportMethod: "sni-only",
                      }
                    : { cloudfrontDefaultCertificate: true },
            },
            { parent: this },
        );
    }

    /**
     * Standard logging v2 (CloudWatch Logs vended delivery): a delivery source for the distribution,
     * which CloudFront accepts only in us-east-1, a destination on a log group there, and the
     * delivery between them (CloudFront Developer Guide, "Configure standard logging (v2)"), after
     * the group's resource policy for the log delivery service. The group is not protected: its
     * name is fixed, so a retained group would block a re-created stack; its key is.
     */
    private createAccessLogging(cfg: NormalizedCdnArgs, distribution: cloudfront.Distribution): CdnLogNodes {
        const region = CLOUDFRONT_REGION;
        const logGroupName = `/aws/vendedlogs/cloudfront/${stackScopedName(this.name, 200)}`;
        const key = createKmsKey(
            `${this.name}-logs-key`,
            {
                description: `Encrypts the access logs of distribution ${this.name}`,
                cloudWatchLogGroupNames: [logGroupName],
                region,
                protect: cfg.protect,
            },
            this,
        );
        const logGroup = new cloudwatch.LogGroup(
            `${this.name}-access`,
            { name: logGroupName, retentionInDays: cfg.logRetentionDays, kmsKeyId: key.key.arn, region },
            { parent: this },
        );
        const logGroupPolicy = createLogDeliveryPolicy(`${this.name}-access`, logGroup, region, this);
        const source = new cloudwatch.LogDeliverySource(
            `${this.name}-access`,
            {
                name: stackScopedName(`${this.name}-access`, 60),
                logType: "ACCESS_LOGS",
                resourceArn: distribution.arn,
                region,
            },
            { parent: this },
        );
        const destination = new cloudwatch.LogDeliveryDestination(
            `${this.name}-access`,
            {
                name: stackScopedName(`${this.name}-access-logs`, 60),
                deliveryDestinationConfiguration: { destinationResourceArn: logGroup.arn },
                outputFormat: "json",
                region,
            },
            { parent: this },
        );
        const delivery = new cloudwatch.LogDelivery(
            `${this.name}-access`,
            { deliverySourceName: source.name, deliveryDestinationArn: destination.arn, region },
            { parent: this, dependsOn: [logGroupPolicy] },
        );
        return { key, logGroup, logGroupPolicy, source, destination, delivery };
    }

    /**
     * 5xxErrorRate is published per distribution with `Region: Global`, in us-east-1 only, so the
     * alarm is created there; `notBreaching` on missing data, since the metric is absent without
     * traffic.
     */
    private createErrorRateAlarm(distribution: cloudfront.Distribution, routes: AlarmRoutes): cloudwatch.MetricAlarm {
        return createAlarm(
            `${this.name}-5xx-error-rate`,
            {
                description: `Over 5 % of the requests to distribution ${this.name} failed with a 5xx in the last 5 minutes: the origin is failing or unreachable. Check the load balancer's target health and the services' logs.`,
                severity: "critical",
                namespace: "AWS/CloudFront",
                metricName: "5xxErrorRate",
                dimensions: { DistributionId: distribution.id, Region: "Global" },
                statistic: "Average",
                period: 300,
                threshold: 5,
                comparisonOperator: "GreaterThanThreshold",
                region: CLOUDFRONT_REGION,
            },
            routes,
            { parent: this },
        );
    }

    /** The widgets name us-east-1 themselves; the dashboard's region would find no CloudFront metrics. */
    private createWidgets(distribution: cloudfront.Distribution): DashboardWidget[] {
        const inUsEast1 = (widget: DashboardWidget): DashboardWidget => ({
            ...widget,
            properties: pulumi.output(widget.properties).apply((p) => ({ ...p, region: CLOUDFRONT_REGION })),
        });
        const dims = ["DistributionId", distribution.id, "Region", "Global"];
        return [
            inUsEast1(
                metricWidget(`${this.name}: requests`, [["AWS/CloudFront", "Requests", ...dims]], { stat: "Sum" }),
            ),
            inUsEast1(
                metricWidget(`${this.name}: error rate (%)`, [
                    ["AWS/CloudFront", "4xxErrorRate", ...dims],
                    ["AWS/CloudFront", "5xxErrorRate", ...dims],
                ]),
            ),
        ];
    }
}

/** The access-logging children of a Cdn, all in us-east-1. */
export interface CdnLogNodes {
    key: KmsKey;
    logGroup: cloudwatch.LogGroup;
    logGroupPolicy: cloudwatch.LogResourcePolicy;
    source: cloudwatch.LogDeliverySource;
    destination: cloudwatch.LogDeliveryDestination;
    delivery: cloudwatch.LogDelivery;
}

interface NormalizedCdnArgs {
    originDomainName: pulumi.Input<string>;
    originProtocol: OriginProtocol;
    originVerifyHeader?: OriginHeader;
    vpcOriginAlbArn?: pulumi.Input<string>;
    assetsBucketRegionalDomainName: pulumi.Input<string>;
    assetsPathPattern: string;
    aliases: string[];
    certificateArn?: pulumi.Input<string>;
    priceClass: string;
    hstsPreload: boolean;
    contentSecurityPolicy: string;
    webAclArn?: pulumi.Input<string>;
    logRetentionDays: number;
    alarmRoutes: AlarmRoutes;
    protect: boolean;
}

/** A DNS host name (a leading `*.` allowed, as CloudFront aliases take wildcards). */
const HOST_NAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

/** A header name (an RFC 9110 token without the rarely used punctuation). */
const HEADER_NAME = /^[A-Za-z0-9][A-Za-z0-9-]{0,255}$/;

/**
 * Headers CloudFront refuses as custom origin headers, or sets itself (CloudFront Developer Guide,
 * "Custom headers that CloudFront can't add to origin requests"), lower case.
 */
const RESERVED_ORIGIN_HEADERS = [
    "cache-control",
    "connection",
    "content-length",
    "cookie",
    "host",
    "if-match",
    "if-modified-since",
    "if-none-match",
    "if-range",
    "if-unmodified-since",
    "max-forwards",
    "pragma",
    "proxy-authorization",
    "proxy-connection",
    "range",
    "request-range",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "via",
    "x-real-ip",
];

/** A cache behaviour's path pattern: a path (wildcards allowed), not the default behaviour's `*`. */
const PATH_PATTERN = /^\/?[A-Za-z0-9_\-.*$/~"'@:+&]{1,254}$/;

/** Applies defaults and validates; every error names the argument. Exported for tests. */
export function normalizeCdnArgs(name: string, args: CdnArgs): NormalizedCdnArgs {
    const check = new ArgChecker("Cdn", name, args);
    const originProtocol = check.oneOf("originProtocol", args.originProtocol ?? "https-only", ORIGIN_PROTOCOLS);
    if (args.originVerifyHeader !== undefined) {
        const header = args.originVerifyHeader.name;
        check.match("originVerifyHeader", header, HEADER_NAME, "expected a header name such as X-Origin-Verify");
        const lower = header.toLowerCase();
        if (RESERVED_ORIGIN_HEADERS.includes(lower) || /^x-(amz|edge)-/.test(lower)) {
            check.fail(
                "originVerifyHeader",
                `names ${JSON.stringify(header)}, a header CloudFront does not let a distribution add; use one of your own, such as X-Origin-Verify`,
            );
        }
    }
    if (typeof args.vpcOriginAlbArn === "string" && !/:loadbalancer\/app\//.test(args.vpcOriginAlbArn)) {
        check.fail(
            "vpcOriginAlbArn",
            `is ${JSON.stringify(args.vpcOriginAlbArn)}; expected an Application Load Balancer's ARN (…:loadbalancer/app/…)`,
        );
    }
    const assetsPathPattern = args.assetsPathPattern ?? "/assets/*";
    if (assetsPathPattern === "*" || !PATH_PATTERN.test(assetsPathPattern)) {
        check.fail(
            "assetsPathPattern",
            `is ${JSON.stringify(assetsPathPattern)}; expected a path pattern such as "/assets/*" (the default behaviour "*" already goes to the app)`,
        );
    }
    const aliases = args.aliases ?? [];
    const badAlias = aliases.find((a) => !HOST_NAME.test(a));
    if (badAlias !== undefined) {
        check.fail(
            "aliases",
            `has ${JSON.stringify(badAlias)}; expected lower-case host names such as app.example.com`,
        );
    }
    if (new Set(aliases).size !== aliases.length) {
        check.fail("aliases", "lists a host name twice");
    }
    if (aliases.length > 0 && args.certificateArn === undefined) {
        check.fail(
            "certificateArn",
            "is required with aliases: CloudFront serves an alias only with a certificate covering it",
        );
    }
    if (aliases.length === 0 && args.certificateArn !== undefined) {
        check.fail(
            "certificateArn",
            "is set without aliases: the certificate would serve no name; add the aliases it covers",
        );
    }
    const certificateRegion = arnRegion(args.certificateArn);
    if (certificateRegion !== undefined && certificateRegion !== CLOUDFRONT_REGION) {
        check.fail(
            "certificateArn",
            `is in ${certificateRegion}; CloudFront uses ACM certificates from ${CLOUDFRONT_REGION} only`,
        );
    }
    const priceClass = check.oneOf("priceClass", args.priceClass ?? "PriceClass_100", PRICE_CLASSES);
    const contentSecurityPolicy = args.contentSecurityPolicy ?? DEFAULT_CONTENT_SECURITY_POLICY;
    if (contentSecurityPolicy.trim() === "" || /[\r\n]/.test(contentSecurityPolicy)) {
        check.fail("contentSecurityPolicy", "must be a non-empty header value on one line");
    }
    if (contentSecurityPolicy.length > MAX_CONTENT_SECURITY_POLICY_LENGTH) {
        check.fail(
            "contentSecurityPolicy",
            `is ${contentSecurityPolicy.length} characters long; CloudFront takes at most ${MAX_CONTENT_SECURITY_POLICY_LENGTH}`,
        );
    }
    if (
        typeof args.webAclArn === "string" &&
        !/^arn:[a-z-]+:wafv2:us-east-1:\d{12}:global\/webacl\//.test(args.webAclArn)
    ) {
        check.fail(
            "webAclArn",
            `is ${JSON.stringify(args.webAclArn)}; expected the ARN of a WAFv2 web ACL of scope CLOUDFRONT (arn:aws:wafv2:us-east-1:<account>:global/webacl/…)`,
        );
    }
    const logRetentionDays = args.logRetentionDays ?? 30;
    check.rule("logRetentionDays", logRetentionDays, logRetentionProblem(logRetentionDays));
    for (const arg of ["alarmTopicArn", "criticalAlarmTopicArn"] as const) {
        const topicRegion = arnRegion(args[arg]);
        if (topicRegion !== undefined && topicRegion !== CLOUDFRONT_REGION) {
            check.fail(
                arg,
                `is a topic in ${topicRegion}; CloudFront's alarm lives in ${CLOUDFRONT_REGION} with its metrics, and CloudWatch notifies topics of the alarm's region only (see Monitoring's edgeAlarmTopicArn)`,
            );
        }
    }
    if (args.alarmTopicArn === undefined) {
        check.fail("alarmTopicArn", "is required: the distribution's 5xx alarm notifies it");
    }
    return {
        originDomainName: args.originDomainName,
        originProtocol,
        originVerifyHeader: args.originVerifyHeader,
        vpcOriginAlbArn: args.vpcOriginAlbArn,
        assetsBucketRegionalDomainName: args.assetsBucketRegionalDomainName,
        assetsPathPattern,
        aliases,
        certificateArn: args.certificateArn,
        priceClass,
        hstsPreload: args.hstsPreload ?? false,
        contentSecurityPolicy,
        webAclArn: args.webAclArn,
        logRetentionDays,
        alarmRoutes: alarmRoutes(args.alarmTopicArn, args.criticalAlarmTopicArn),
        protect: args.protect ?? false,
    };
}
