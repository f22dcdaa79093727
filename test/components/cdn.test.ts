import { expect } from "chai";
import { Bucket } from "../../components/bucket";
import {
    Cdn,
    CdnArgs,
    DEFAULT_CONTENT_SECURITY_POLICY,
    MANAGED_POLICY_IDS,
    MAX_CONTENT_SECURITY_POLICY_LENGTH,
    cdnBucketReadStatement,
    normalizeCdnArgs,
} from "../../components/cdn";
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { loadPolicyConfig } from "../../policy/runner";
import { ROOT, Recorded, promiseOf, run } from "../helpers";
import { evaluate, expectClean, violationsOf } from "../policy/fixtures";
import type { PlannedResource } from "../../tools/plan-types";

const T = {
    distribution: "aws:cloudfront/distribution:Distribution",
    oac: "aws:cloudfront/originAccessControl:OriginAccessControl",
    headers: "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy",
    vpcOrigin: "aws:cloudfront/vpcOrigin:VpcOrigin",
    key: "aws:kms/key:Key",
    alias: "aws:kms/alias:Alias",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    logPolicy: "aws:cloudwatch/logResourcePolicy:LogResourcePolicy",
    source: "aws:cloudwatch/logDeliverySource:LogDeliverySource",
    destination: "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination",
    delivery: "aws:cloudwatch/logDelivery:LogDelivery",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
};

const TOPIC = "arn:aws:sns:us-east-1:123456789012:edge-alarms";
const CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c";
const WAF = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/a1b2c3";
const ALB = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/edge/50dc6c495c0c9188";
const BASE: CdnArgs = {
    originDomainName: "origin.example.com",
    assetsBucketRegionalDomainName: "assets-1a2b.s3.eu-west-1.amazonaws.com",
    alarmTopicArn: TOPIC,
};
/** A stack outside us-east-1, so a child left in the stack's region shows. */
const EU = { "aws:region": "eu-west-1" };

async function cdn(args: Partial<CdnArgs> = {}): Promise<{ rec: Recorded; cdn: Cdn }> {
    let created: Cdn | undefined;
    const rec = await run(
        () => {
            created = new Cdn("cdn", { ...BASE, ...args });
        },
        "test",
        EU,
    );
    return { rec, cdn: created! };
}

const distributionOf = (rec: Recorded) => rec.one(T.distribution, "cdn");
type Props = Record<string, unknown>;
const originOf = (rec: Recorded, id: string) =>
    (distributionOf(rec).props.origins as Props[]).find((o) => o.originId === id) as Props;

interface Statement {
    Sid?: string;
    Effect: string;
    Principal?: { Service?: string | string[] };
    Action: string | string[];
    Resource?: string | string[];
    Condition?: Record<string, Record<string, unknown>>;
}
const statements = (policy: unknown): Statement[] => JSON.parse(policy as string).Statement;

/** Rejects `args`, naming the argument in the message. */
function rejects(args: Partial<CdnArgs>, pattern: RegExp): void {
    expect(() => normalizeCdnArgs("cdn", { ...BASE, ...args } as CdnArgs)).to.throw(pattern);
}

describe("Cdn", () => {
    describe("arguments", () => {
        it("defaults to HTTPS to the origin, /assets/*, PriceClass_100, the strict CSP, no preload, 30-day logs", () => {
            const cfg = normalizeCdnArgs("cdn", BASE);
            expect(cfg).to.deep.include({
                originProtocol: "https-only",
                assetsPathPattern: "/assets/*",
                priceClass: "PriceClass_100",
                contentSecurityPolicy: DEFAULT_CONTENT_SECURITY_POLICY,
                hstsPreload: false,
                logRetentionDays: 30,
                aliases: [],
                protect: false,
            });
        });

        it("rejects an origin protocol other than https-only or http-only", () => {
            rejects(
                { originProtocol: "match-viewer" },
                /^Cdn "cdn": args\.originProtocol is "match-viewer"; allowed: https-only, http-only$/,
            );
        });

        it("rejects an origin header with an invalid name or one CloudFront refuses to add", () => {
            rejects(
                { originVerifyHeader: { name: "X Origin", value: "s" } },
                /args\.originVerifyHeader is "X Origin"; expected a header name/,
            );
            for (const name of ["Host", "cookie", "X-Amz-Date", "X-Edge-Location"]) {
                rejects(
                    { originVerifyHeader: { name, value: "s" } },
                    /args\.originVerifyHeader names .* a header CloudFront does not let a distribution add/,
                );
            }
            expect(() =>
                normalizeCdnArgs("cdn", { ...BASE, originVerifyHeader: { name: "X-Origin-Verify", value: "s" } }),
            ).not.to.throw();
        });

        it("rejects a VPC origin ARN that is not an Application Load Balancer's", () => {
            rejects(
                { vpcOriginAlbArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/edge/1" },
                /args\.vpcOriginAlbArn is .*; expected an Application Load Balancer's ARN/,
            );
        });

        it("rejects the default behaviour's pattern or a malformed one as the assets path", () => {
            rejects({ assetsPathPattern: "*" }, /args\.assetsPathPattern is "\*"; expected a path pattern/);
            rejects({ assetsPathPattern: "/assets/ *" }, /args\.assetsPathPattern/);
            expect(
                normalizeCdnArgs("cdn", { ...BASE, assetsPathPattern: "/_next/static/*" }).assetsPathPattern,
            ).to.equal("/_next/static/*");
        });

        it("takes aliases only with a us-east-1 certificate, and a certificate only with aliases", () => {
            rejects({ aliases: ["app.example.com"] }, /args\.certificateArn is required with aliases/);
            rejects({ certificateArn: CERT }, /args\.certificateArn is set without aliases/);
            rejects(
                { aliases: ["app.example.com"], certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/1" },
                /args\.certificateArn is in eu-west-1; CloudFront uses ACM certificates from us-east-1 only/,
            );
            rejects({ aliases: ["App.Example.com"], certificateArn: CERT }, /args\.aliases has "App\.Example\.com"/);
            rejects(
                { aliases: ["a.example.com", "a.example.com"], certificateArn: CERT },
                /args\.aliases lists a host name twice/,
            );
        });

        it("rejects an unknown price class", () => {
            rejects(
                { priceClass: "PriceClass_300" },
                /args\.priceClass is "PriceClass_300"; allowed: PriceClass_100, PriceClass_200, PriceClass_All/,
            );
        });

        it("rejects an empty, multi-line or too long Content-Security-Policy", () => {
            rejects(
                { contentSecurityPolicy: " " },
                /args\.contentSecurityPolicy must be a non-empty header value on one line/,
            );
            rejects(
                { contentSecurityPolicy: "default-src 'self';\nscript-src 'self'" },
                /args\.contentSecurityPolicy must be/,
            );
            rejects(
                { contentSecurityPolicy: `default-src 'self' ${"x".repeat(MAX_CONTENT_SECURITY_POLICY_LENGTH)}` },
                /args\.contentSecurityPolicy is \d+ characters long; CloudFront takes at most 1783/,
            );
        });

        it("rejects a web ACL that is not of scope CLOUDFRONT", () => {
            rejects(
                { webAclArn: "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/edge/a1b2c3" },
                /args\.webAclArn is .*; expected the ARN of a WAFv2 web ACL of scope CLOUDFRONT/,
            );
        });

        it("rejects a log retention CloudWatch Logs does not offer", () => {
            rejects(
                { logRetentionDays: 31 },
                /args\.logRetentionDays is 31, which is not a CloudWatch Logs retention period/,
            );
        });

        it("requires an alarm topic, in us-east-1 when its region is known", () => {
            rejects({ alarmTopicArn: undefined }, /args\.alarmTopicArn is required/);
            rejects(
                { alarmTopicArn: "arn:aws:sns:eu-west-1:123456789012:alarms" },
                /args\.alarmTopicArn is a topic in eu-west-1; CloudFront's alarm lives in us-east-1/,
            );
            rejects(
                { criticalAlarmTopicArn: "arn:aws:sns:eu-west-1:123456789012:critical" },
                /args\.criticalAlarmTopicArn is a topic in eu-west-1; CloudFront's alarm lives in us-east-1/,
            );
        });
    });

    describe("with the defaults", () => {
        let rec: Recorded;
        let created: Cdn;
        before(async () => {
            ({ rec, cdn: created } = await cdn());
        });

        it("sends everything to the app uncached, with every viewer value but Host, all methods, over HTTPS", () => {
            const dist = distributionOf(rec);
            expect(dist.props.defaultCacheBehavior).to.deep.include({
                targetOriginId: "app",
                viewerProtocolPolicy: "redirect-to-https",
                allowedMethods: ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"],
                cachedMethods: ["GET", "HEAD"],
                compress: true,
                cachePolicyId: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
                originRequestPolicyId: "b689b0a8-53d0-40ab-baf2-68738e2966ac",
            });
            expect(originOf(rec, "app")).to.deep.equal({
                originId: "app",
                domainName: "origin.example.com",
                customOriginConfig: {
                    httpPort: 80,
                    httpsPort: 443,
                    originProtocolPolicy: "https-only",
                    originSslProtocols: ["TLSv1.2"],
                },
            });
        });

        it("serves /assets/* from the bucket, cached with CachingOptimized, GET/HEAD/OPTIONS, compressed", () => {
            const [assets] = distributionOf(rec).props.orderedCacheBehaviors as Props[];
            expect(assets).to.deep.include({
                pathPattern: "/assets/*",
                targetOriginId: "assets",
                viewerProtocolPolicy: "redirect-to-https",
                allowedMethods: ["GET", "HEAD", "OPTIONS"],
                cachedMethods: ["GET", "HEAD"],
                compress: true,
                cachePolicyId: MANAGED_POLICY_IDS.cachingOptimized,
            });
        });

        it("reaches the bucket through an origin access control that always signs with SigV4, never an OAI", async () => {
            const oac = rec.one(T.oac, "cdn-assets");
            expect(oac.props).to.include({
                originAccessControlOriginType: "s3",
                signingBehavior: "always",
                signingProtocol: "sigv4",
                name: "groundwork-test-cdn-assets",
            });
            const origin = originOf(rec, "assets");
            expect(origin).to.deep.equal({
                originId: "assets",
                domainName: "assets-1a2b.s3.eu-west-1.amazonaws.com",
                originAccessControlId: await promiseOf(created.nodes.originAccessControl.id),
            });
            expect(distributionOf(rec).propertyDependencies.origins).to.include(oac.urn);
        });

        it("sends HSTS for a year with subdomains, the CSP, nosniff, DENY and a strict referrer policy, overriding the origin", async () => {
            const headers = rec.one(T.headers, "cdn-security-headers");
            expect(headers.props.securityHeadersConfig).to.deep.equal({
                strictTransportSecurity: {
                    accessControlMaxAgeSec: 31536000,
                    includeSubdomains: true,
                    preload: false,
                    override: true,
                },
                contentSecurityPolicy: { contentSecurityPolicy: DEFAULT_CONTENT_SECURITY_POLICY, override: true },
                contentTypeOptions: { override: true },
                frameOptions: { frameOption: "DENY", override: true },
                referrerPolicy: { referrerPolicy: "strict-origin-when-cross-origin", override: true },
            });
            const dist = distributionOf(rec);
            const id = await promiseOf(created.nodes.responseHeadersPolicy.id);
            expect((dist.props.defaultCacheBehavior as Props).responseHeadersPolicyId).to.equal(id);
            expect((dist.props.orderedCacheBehaviors as Props[])[0].responseHeadersPolicyId).to.equal(id);
            expect(dist.propertyDependencies.defaultCacheBehavior).to.include(headers.urn);
        });

        it("uses CloudFront's certificate without aliases, HTTP/2 and 3, IPv6, PriceClass_100 and no WAF", () => {
            const dist = distributionOf(rec);
            expect(dist.props.viewerCertificate).to.deep.equal({ cloudfrontDefaultCertificate: true });
            expect(dist.props).to.include({
                httpVersion: "http2and3",
                isIpv6Enabled: true,
                priceClass: "PriceClass_100",
                enabled: true,
            });
            expect(dist.props).not.to.have.property("aliases");
            expect(dist.props).not.to.have.property("webAclId");
            expect(dist.props).not.to.have.property("loggingConfig");
        });

        it("exposes the distribution's ARN, ID, domain and hosted zone for Route 53 aliases", async () => {
            const id = await promiseOf(created.distributionId);
            expect(id).to.match(/^E[0-9A-F]{13}$/);
            expect(await promiseOf(created.distributionArn)).to.equal(
                `arn:aws:cloudfront::123456789012:distribution/${id}`,
            );
            expect(await promiseOf(created.domainName)).to.match(/\.cloudfront\.net$/);
            expect(await promiseOf(created.hostedZoneId)).to.equal("Z2FDTNDATAQYW2");
        });

        it("delivers access logs (standard logging v2) to an encrypted log group, all in us-east-1", async () => {
            const dist = distributionOf(rec);
            const group = rec.one(T.logGroup, "cdn-access");
            const key = rec.one(T.key, "cdn-logs-key");
            const source = rec.one(T.source, "cdn-access");
            const destination = rec.one(T.destination, "cdn-access");
            const delivery = rec.one(T.delivery, "cdn-access");
            const policy = rec.one(T.logPolicy, "cdn-access");
            for (const r of [group, key, rec.one(T.alias, "cdn-logs-key"), source, destination, delivery, policy]) {
                expect(r.props.region, r.type).to.equal("us-east-1");
            }
            expect(group.props).to.include({
                name: "/aws/vendedlogs/cloudfront/groundwork-test-cdn",
                retentionInDays: 30,
                kmsKeyId: await promiseOf(created.nodes.logs.key.key.arn),
            });
            expect(source.props).to.include({
                logType: "ACCESS_LOGS",
                resourceArn: await promiseOf(created.distributionArn),
            });
            expect(source.propertyDependencies.resourceArn).to.deep.equal([dist.urn]);
            expect(destination.props.deliveryDestinationConfiguration).to.deep.equal({
                destinationResourceArn: `arn:aws:logs:us-east-1:123456789012:log-group:${group.props.name}`,
            });
            expect(delivery.props.deliverySourceName).to.equal(source.props.name);
            expect(delivery.propertyDependencies.deliverySourceName).to.deep.equal([source.urn]);
            expect(delivery.propertyDependencies.deliveryDestinationArn).to.deep.equal([destination.urn]);
            expect(delivery.dependencies, "the group's policy exists before the delivery").to.include(policy.urn);
        });

        it("lets only the log delivery service of this account write the access log group", () => {
            const group = rec.one(T.logGroup, "cdn-access");
            const policy = rec.one(T.logPolicy, "cdn-access");
            const groupArn = `arn:aws:logs:us-east-1:123456789012:log-group:${group.props.name}`;
            expect(policy.props.resourceArn).to.equal(groupArn);
            expect(policy.props).not.to.have.property("policyName");
            expect(statements(policy.props.policyDocument)).to.deep.equal([
                {
                    Sid: "AWSLogDeliveryWrite20150319",
                    Effect: "Allow",
                    Principal: { Service: "delivery.logs.amazonaws.com" },
                    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                    Resource: `${groupArn}:log-stream:*`,
                    Condition: {
                        StringEquals: { "aws:SourceAccount": "123456789012" },
                        ArnLike: { "aws:SourceArn": "arn:aws:logs:us-east-1:123456789012:*" },
                    },
                },
            ]);
        });

        it("lets CloudWatch Logs of us-east-1 use the log key for this one group only", () => {
            const grant = statements(rec.one(T.key, "cdn-logs-key").props.policy).find(
                (s) => s.Sid === "CloudWatchLogsEncryptsLogGroups",
            )!;
            expect(grant.Principal).to.deep.equal({ Service: "logs.us-east-1.amazonaws.com" });
            expect(grant.Condition).to.deep.equal({
                ArnLike: {
                    "kms:EncryptionContext:aws:logs:arn": [
                        "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/cloudfront/groundwork-test-cdn",
                    ],
                },
            });
        });

        it("alarms in us-east-1 when over 5 % of requests fail with a 5xx for 5 minutes (critical)", async () => {
            const alarm = rec.one(T.alarm, "cdn-5xx-error-rate");
            const dist = distributionOf(rec);
            const id = await promiseOf(created.distributionId);
            expect(alarm.props).to.deep.include({
                region: "us-east-1",
                namespace: "AWS/CloudFront",
                metricName: "5xxErrorRate",
                dimensions: { DistributionId: id, Region: "Global" },
                statistic: "Average",
                period: 300,
                evaluationPeriods: 1,
                threshold: 5,
                comparisonOperator: "GreaterThanThreshold",
                alarmActions: [TOPIC],
                okActions: [TOPIC],
                tags: { severity: "critical" },
            });
            expect(alarm.propertyDependencies.dimensions).to.deep.equal([dist.urn]);
        });

        it("offers dashboard widgets that read CloudFront's metrics in us-east-1", async () => {
            const id = await promiseOf(created.distributionId);
            expect(created.dashboardWidgets).to.have.length(2);
            for (const widget of created.dashboardWidgets) {
                const props = (await promiseOf(pulumi.output(widget.properties))) as Props;
                expect(props.region).to.equal("us-east-1");
                for (const metric of props.metrics as string[][]) {
                    expect(metric.slice(0, 1)).to.deep.equal(["AWS/CloudFront"]);
                    expect(metric.slice(2)).to.deep.equal(["DistributionId", id, "Region", "Global"]);
                }
            }
        });

        it("leaves the log key unprotected unless asked", async () => {
            expect(rec.one(T.key, "cdn-logs-key").options).to.include({ protect: false, retainOnDelete: false });
            const { rec: prod } = await cdn({ protect: true });
            expect(prod.one(T.key, "cdn-logs-key").options).to.include({ protect: true, retainOnDelete: true });
            expect(prod.one(T.logGroup, "cdn-access").options.protect, "fixed name: never retained").to.equal(false);
        });
    });

    it("serves aliases with the us-east-1 certificate by SNI and TLS 1.2 at least", async () => {
        const { rec } = await cdn({ aliases: ["app.example.com", "api.example.com"], certificateArn: CERT });
        const dist = distributionOf(rec);
        expect(dist.props.aliases).to.deep.equal(["app.example.com", "api.example.com"]);
        expect(dist.props.viewerCertificate).to.deep.equal({
            acmCertificateArn: CERT,
            minimumProtocolVersion: "TLSv1.2_2021",
            sslSupportMethod: "sni-only",
        });
    });

    it("attaches the web ACL, by ARN as WAFv2 wants, and uses the given price class", async () => {
        const { rec } = await cdn({ webAclArn: WAF, priceClass: "PriceClass_All" });
        expect(distributionOf(rec).props).to.include({ webAclId: WAF, priceClass: "PriceClass_All" });
    });

    it("sends preload and the given CSP when asked", async () => {
        const csp = "default-src 'self'; img-src 'self' data:";
        const { rec } = await cdn({ hstsPreload: true, contentSecurityPolicy: csp });
        const config = rec.one(T.headers, "cdn-security-headers").props.securityHeadersConfig as Props;
        expect((config.strictTransportSecurity as Props).preload).to.equal(true);
        expect(config.contentSecurityPolicy).to.deep.equal({ contentSecurityPolicy: csp, override: true });
    });

    it("adds the origin header to the app origin only, its value kept secret", async () => {
        const { rec } = await cdn({ originVerifyHeader: { name: "X-Origin-Verify", value: "s3cr3t" } });
        expect(originOf(rec, "app").customHeaders).to.deep.equal([{ name: "X-Origin-Verify", value: "[secret]" }]);
        expect(originOf(rec, "assets")).not.to.have.property("customHeaders");
        expect(JSON.stringify(rec.resources)).not.to.include("s3cr3t");
    });

    it("reaches an origin without a certificate over HTTP only when told to", async () => {
        const { rec } = await cdn({ originProtocol: "http-only" });
        expect((originOf(rec, "app").customOriginConfig as Props).originProtocolPolicy).to.equal("http-only");
    });

    describe("with an internal load balancer as VPC origin", () => {
        let rec: Recorded;
        let created: Cdn;
        before(async () => {
            ({ rec, cdn: created } = await cdn({
                vpcOriginAlbArn: ALB,
                originVerifyHeader: { name: "X-Origin-Verify", value: "s" },
            }));
        });

        it("creates a VPC origin for the load balancer, HTTPS with TLS 1.2", () => {
            const vpcOrigin = rec.one(T.vpcOrigin, "cdn-app");
            expect(vpcOrigin.props.vpcOriginEndpointConfig).to.deep.equal({
                name: "groundwork-test-cdn-app",
                arn: ALB,
                httpPort: 80,
                httpsPort: 443,
                originProtocolPolicy: "https-only",
                originSslProtocols: { items: ["TLSv1.2"], quantity: 1 },
            });
        });

        it("points the app origin at it instead of a custom origin", async () => {
            const vpcOrigin = rec.one(T.vpcOrigin, "cdn-app");
            const origin = originOf(rec, "app");
            expect(origin.vpcOriginConfig).to.deep.equal({ vpcOriginId: await promiseOf(created.nodes.vpcOrigin!.id) });
            expect(origin).not.to.have.property("customOriginConfig");
            expect(origin.customHeaders).to.have.length(1);
            expect(distributionOf(rec).propertyDependencies.origins).to.include(vpcOrigin.urn);
        });

        it("has no VPC origin without vpcOriginAlbArn", async () => {
            const { rec: plain } = await cdn();
            expect(plain.ofType(T.vpcOrigin)).to.deep.equal([]);
        });
    });

    describe("against the policy pack", () => {
        /** The Cdn with its assets bucket wired as the class doc shows. */
        async function stack(args: Partial<CdnArgs> = {}): Promise<Recorded> {
            return run(
                () => {
                    const [cdnArn, setCdnArn] = pulumi.deferredOutput<string>();
                    const assets = new Bucket("assets", {
                        accessLogBucketName: "access-logs",
                        kmsServicePrincipals: ["cloudfront.amazonaws.com"],
                        kmsServiceSourceArns: { "cloudfront.amazonaws.com": [cdnArn] },
                        policyStatements: [cdnBucketReadStatement(undefined, cdnArn)],
                    });
                    const created = new Cdn("cdn", {
                        ...BASE,
                        assetsBucketRegionalDomainName: assets.regionalDomainName,
                        ...args,
                    });
                    setCdnArn(created.distributionArn);
                },
                "test",
                EU,
            );
        }

        it("passes every CloudFront rule in prod with a web ACL and aliases", async () => {
            const rec = await stack({ webAclArn: WAF, aliases: ["app.example.com"], certificateArn: CERT });
            const report = evaluate(rec.resources, { "net-cf-oac": { environment: "prod" } });
            for (const policy of [
                "tls-cloudfront",
                "tls-cloudfront-origin",
                "net-cf-oac",
                "net-cf-s3-grant",
                "tls-cloudfront-hsts",
                "log-cloudfront",
                "alarm-cloudfront",
                "enc-kms-rotation",
                "enc-cmk-managed",
                "net-resource-policies",
            ]) {
                expectClean(report, policy);
            }
        });

        it("passes with CloudFront's certificate too (dev without a zone)", async () => {
            const rec = await stack();
            const report = evaluate(rec.resources, { "net-cf-oac": { environment: "dev" } }, "dev");
            for (const policy of [
                "tls-cloudfront",
                "net-cf-oac",
                "tls-cloudfront-hsts",
                "log-cloudfront",
                "alarm-cloudfront",
            ]) {
                expectClean(report, policy);
            }
        });

        it("is flagged in prod without a web ACL, and by tls-cloudfront-origin with an HTTP origin", async () => {
            const rec = await stack({ originProtocol: "http-only" });
            const report = evaluate(rec.resources, { "net-cf-oac": { environment: "prod" } });
            const urn = distributionOf(rec).urn;
            const oac = violationsOf(report, "net-cf-oac", urn).map((v) => v.message);
            expect(oac).to.have.length(1);
            expect(oac[0]).to.include("cdn: webAclId is not set");
            expect(
                violationsOf(report, "tls-cloudfront-origin", urn)
                    .map((v) => v.message)
                    .join("\n"),
            ).to.include('origin app uses originProtocolPolicy "http-only"');
        });

        it("in dev without a zone (HTTP to the origin), has no mandatory violation under policy/dev.json", async () => {
            const rec = await stack({ originProtocol: "http-only" });
            const report = evaluate(rec.resources, loadPolicyConfig(path.join(ROOT, "policy", "dev.json")), "dev");
            const origin = violationsOf(report, "tls-cloudfront-origin");
            expect(origin.length, "the HTTP origin is still reported").to.be.greaterThan(0);
            expect(origin.every((v) => v.enforcementLevel === "advisory")).to.equal(true);
            expect(
                report.violations
                    .filter((v) => v.enforcementLevel === "mandatory")
                    .map((v) => `${v.policyName}: ${v.message}`),
            ).to.deep.equal([]);
        });

        it("passes the origin TLS rule with an internal load balancer as VPC origin", async () => {
            const rec = await stack({ vpcOriginAlbArn: ALB, webAclArn: WAF });
            const report = evaluate(rec.resources, { "net-cf-oac": { environment: "prod" } });
            for (const policy of ["tls-cloudfront", "tls-cloudfront-origin", "net-cf-oac"]) {
                expectClean(report, policy);
            }
        });

        it("grants the bucket and its key to this distribution only", async () => {
            const rec = await stack();
            const arn = rec.one(T.source, "cdn-access").props.resourceArn as string;
            expect(arn).to.match(/^arn:aws:cloudfront::123456789012:distribution\/E[0-9A-F]+$/);
            const grant = statements(rec.one(T.bucketPolicy, "assets-policy").props.policy).find(
                (s) => s.Sid === "CloudFrontReadsObjects",
            )!;
            expect(grant).to.deep.include({
                Effect: "Allow",
                Principal: { Service: "cloudfront.amazonaws.com" },
                Action: "s3:GetObject",
                Condition: { StringEquals: { "AWS:SourceArn": arn } },
            });
            expect(grant.Resource).to.match(/^arn:aws:s3:::groundwork-test-assets-.*\/\*$/);
            const keyGrant = statements(rec.one(T.key, "assets-key").props.policy).find(
                (s) => s.Sid === "ServiceUsecloudfront",
            )!;
            expect(keyGrant.Condition).to.deep.equal({ StringEquals: { "AWS:SourceArn": [arn] } });
        });

        it("is flagged when the log delivery or the alarm is missing, or the alarm is left in the stack's region", async () => {
            const rec = await stack({ webAclArn: WAF });
            const without = (type: string): PlannedResource[] => rec.resources.filter((r) => r.type !== type);
            const urn = distributionOf(rec).urn;
            expect(violationsOf(evaluate(without(T.delivery)), "log-cloudfront", urn)).to.have.length(1);
            expect(violationsOf(evaluate(without(T.alarm)), "alarm-cloudfront", urn)).to.have.length(1);
            const elsewhere = rec.resources.map((r) =>
                r.type === T.alarm ? { ...r, props: { ...r.props, region: "eu-west-1" } } : r,
            );
            expect(
                violationsOf(evaluate(elsewhere), "alarm-cloudfront")
                    .map((v) => v.message)
                    .join("\n"),
            ).to.include("CloudFront publishes metrics only in us-east-1");
        });
    });

    it("builds the OAC read statement with the bucket's objects as Resource when the bucket is named", async () => {
        const statement = cdnBucketReadStatement(
            "arn:aws:s3:::assets",
            "arn:aws:cloudfront::123456789012:distribution/E1",
        );
        const resolved = await promiseOf(pulumi.output(statement));
        expect(resolved).to.deep.equal({
            Sid: "CloudFrontReadsObjects",
            Effect: "Allow",
            Principal: { Service: "cloudfront.amazonaws.com" },
            Action: "s3:GetObject",
            Resource: "arn:aws:s3:::assets/*",
            Condition: { StringEquals: { "AWS:SourceArn": "arn:aws:cloudfront::123456789012:distribution/E1" } },
        });
        expect(cdnBucketReadStatement(undefined, "arn:aws:cloudfront::1:distribution/E1")).not.to.have.property(
            "Resource",
        );
    });
});
