import { expect } from "chai";
import * as fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import * as kms from "@pulumi/aws/kms";
import {
    CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST,
    DEFAULT_RULE_PRIORITY,
    ELB_LOG_DELIVERY_SERVICE,
    ELB_NAME_MAX,
    ERROR_RATE_EXPRESSION,
    HTTPS_SSL_POLICY,
    LoadBalancer,
    LoadBalancerArgs,
    LoadBalancerTarget,
    ORIGIN_VERIFY_HEADER,
    fitName,
    loadBalancerName,
    normalizeLoadBalancerArgs,
    targetChainPairs,
    targetGroupName,
} from "../../components/load-balancer";
import { Monitoring } from "../../components/monitoring";
import { PlannedResource } from "../../tools/plan-types";
import { Recorded, promiseOf, run } from "../helpers";
import { evaluate, expectClean, expectViolation } from "../policy/fixtures";

const T = {
    lb: "aws:lb/loadBalancer:LoadBalancer",
    tg: "aws:lb/targetGroup:TargetGroup",
    listener: "aws:lb/listener:Listener",
    rule: "aws:lb/listenerRule:ListenerRule",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    bucket: "aws:s3/bucket:Bucket",
    sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    bpa: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    secret: "aws:secretsmanager/secret:Secret",
    secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
    password: "random:index/randomPassword:RandomPassword",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    waf: "aws:wafv2/webAclAssociation:WebAclAssociation",
};

const TOPIC = "arn:aws:sns:us-east-1:123456789012:alarms";
const CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c";
const SUBNETS = ["subnet-0aaa", "subnet-0bbb"];
const APP_SG = "sg-0app";

/** Seed 002's service: the API on 3000, health at /api/health, sticky for a day; it takes the default route. */
const API: LoadBalancerTarget = {
    name: "api",
    port: 3000,
    healthCheckPath: "/api/health",
    securityGroupId: APP_SG,
    stickySeconds: 86400,
};
const ADMIN: LoadBalancerTarget = {
    name: "admin",
    port: 4000,
    healthCheckPath: "/healthz",
    securityGroupId: "sg-0admin",
    pathPatterns: ["/admin/*"],
    hostHeaders: ["admin.example.com"],
    slowStartSeconds: 60,
};

const BASE: LoadBalancerArgs = {
    vpcId: "vpc-0123",
    subnetIds: SUBNETS,
    ingress: "cloudfront",
    certificateArn: CERT,
    targets: [ADMIN, API],
    alarmTopicArn: TOPIC,
};

async function alb(overrides: Partial<LoadBalancerArgs> = {}): Promise<{ rec: Recorded; alb: LoadBalancer }> {
    let created: LoadBalancer | undefined;
    const rec = await run(() => {
        created = new LoadBalancer("alb", { ...BASE, ...overrides });
    });
    return { rec, alb: created! };
}

const albSgOf = (rec: Recorded) => rec.one(T.sg, "alb-sg");
/** The ALB group's ID, as the load balancer received it. */
const albSgIdOf = (rec: Recorded) => (rec.one(T.lb, "alb").props.securityGroups as string[])[0];
const rulesOn = (rec: Recorded, type: string, sgId: string) =>
    rec.ofType(type).filter((r) => r.props.securityGroupId === sgId);
const policyOf = (rec: Recorded) =>
    JSON.parse(rec.one(T.bucketPolicy, "alb-logs-policy").props.policy as string) as {
        Statement: Record<string, unknown>[];
    };
const byName = (rs: PlannedResource[]) => Object.fromEntries(rs.map((r) => [r.name, r]));
const fail = (overrides: Partial<LoadBalancerArgs>) => () =>
    normalizeLoadBalancerArgs("alb", { ...BASE, ...overrides } as LoadBalancerArgs);

describe("LoadBalancer", () => {
    describe("arguments", () => {
        it("defaults to an internet-facing ALB behind CloudFront with the origin header, 60 s idle, defensive desync, 90-day logs", () => {
            const cfg = normalizeLoadBalancerArgs("alb", BASE);
            expect(cfg).to.include({
                scheme: "internet-facing",
                ingress: "cloudfront",
                originVerifyHeader: true,
                idleTimeoutSeconds: 60,
                desyncMitigationMode: "defensive",
                accessLogRetentionDays: 90,
                deletionProtection: false,
                protect: false,
                originPort: 443,
                defaultTarget: "api",
            });
            expect(cfg.listenerPorts).to.deep.equal([80, 443]);
            expect(cfg.targets.map((t) => t.deregistrationDelaySeconds)).to.deep.equal([30, 30]);
        });

        it("requires the origin header only with the CDN in front, and refuses it where viewers connect directly", () => {
            expect(normalizeLoadBalancerArgs("alb", { ...BASE, ingress: "world" }).originVerifyHeader).to.equal(false);
            const internal = { ...BASE, scheme: "internal", ingress: "vpc-origin" } as const;
            expect(normalizeLoadBalancerArgs("alb", internal).originVerifyHeader).to.equal(false);
            expect(
                normalizeLoadBalancerArgs("alb", { ...internal, originVerifyHeader: true }).originVerifyHeader,
            ).to.equal(true);
            expect(fail({ ingress: "world", originVerifyHeader: true })).to.throw(
                /LoadBalancer "alb": args\.originVerifyHeader is true with ingress "world"/,
            );
        });

        it("pairs internal with vpc-origin and internet-facing with cloudfront or world", () => {
            expect(fail({ ingress: "vpc-origin" })).to.throw(
                /args\.ingress is "vpc-origin", which needs scheme "internal"/,
            );
            expect(fail({ scheme: "internal", ingress: "cloudfront" })).to.throw(
                /args\.ingress is "cloudfront"; an internal load balancer is reached by "vpc-origin"/,
            );
            expect(fail({ vpcOriginSecurityGroupId: "sg-0cf" })).to.throw(/args\.vpcOriginSecurityGroupId is only for/);
        });

        it("names the argument in every error", () => {
            const cases: [Partial<LoadBalancerArgs>, RegExp][] = [
                [{ scheme: "public" as never }, /args\.scheme is "public"; allowed: internet-facing, internal/],
                [{ ingress: undefined }, /args\.ingress is required/],
                [{ ingress: "anyone" as never }, /args\.ingress is "anyone"; allowed: cloudfront, world, vpc-origin/],
                [
                    { subnetIds: ["subnet-0aaa"] },
                    /args\.subnetIds has 1 subnet\(s\); an ALB needs subnets in at least two AZs/,
                ],
                [{ idleTimeoutSeconds: 0 }, /args\.idleTimeoutSeconds is 0; must be a whole number from 1 to 4000/],
                [
                    { desyncMitigationMode: "monitor" as never },
                    /args\.desyncMitigationMode is "monitor"; allowed: defensive, strictest/,
                ],
                [
                    { accessLogRetentionDays: 0 },
                    /args\.accessLogRetentionDays is 0; must be a whole number from 1 to 3650/,
                ],
                [{ targets: [] }, /args\.targets is empty/],
            ];
            for (const [overrides, message] of cases) {
                expect(fail(overrides), JSON.stringify(overrides)).to.throw(message);
            }
        });

        it("checks each target: name, port, health check path, conditions within ALB rule limits, tuning bounds", () => {
            const target = (t: Partial<LoadBalancerTarget>) => fail({ targets: [API, { ...ADMIN, ...t }] });
            const cases: [() => unknown, RegExp][] = [
                [target({ name: "Admin" }), /args\.targets has name "Admin"; use 1-32 lower-case letters/],
                [target({ name: "api" }), /args\.targets lists "api" twice/],
                [target({ port: 0 }), /args\.targets has "admin"\.port 0; must be a whole number from 1 to 65535/],
                [target({ healthCheckPath: "healthz" }), /args\.targets has "admin"\.healthCheckPath "healthz"/],
                [target({ pathPatterns: ["admin/*"] }), /args\.targets has "admin"\.pathPatterns "admin\/\*"/],
                [
                    target({ hostHeaders: ["https://admin.example.com"] }),
                    /"admin"\.hostHeaders "https:\/\/admin\.example\.com"/,
                ],
                [
                    target({ pathPatterns: ["/a", "/b", "/c", "/d"] }),
                    /has 4 "admin"\.pathPatterns; an ALB rule condition takes at most 3/,
                ],
                [target({ stickySeconds: 0 }), /"admin"\.stickySeconds 0; must be a whole number from 1 to 604800/],
                [
                    target({ slowStartSeconds: 10 }),
                    /"admin"\.slowStartSeconds 10; must be a whole number from 30 to 900/,
                ],
                [
                    target({ deregistrationDelaySeconds: 3601 }),
                    /"admin"\.deregistrationDelaySeconds 3601; must be a whole number from 0 to 3600/,
                ],
            ];
            for (const [thunk, message] of cases) {
                expect(thunk).to.throw(message);
            }
        });

        it("counts the origin header against the five condition values of a rule", () => {
            const five = {
                ...ADMIN,
                pathPatterns: ["/a", "/b", "/c"],
                hostHeaders: ["a.example.com", "b.example.com"],
            };
            expect(fail({ targets: [API, five] })).to.throw(
                /"admin" with 6 condition values \(the origin header counts one\); an ALB rule takes at most 5/,
            );
            expect(() =>
                normalizeLoadBalancerArgs("alb", { ...BASE, ingress: "world", targets: [API, five] }),
            ).not.to.throw();
        });

        it("needs exactly one default target", () => {
            expect(fail({ targets: [ADMIN] })).to.throw(/args\.targets has no default target; exactly one target/);
            expect(fail({ targets: [API, { ...API, name: "web" }] })).to.throw(
                /args\.targets has 2 default targets \(api, web\)/,
            );
        });

        it("takes rule priorities from the order of targets; the default target's rule, with the header, comes last", () => {
            const web = { ...ADMIN, name: "web", pathPatterns: ["/app/*"], hostHeaders: [] };
            const withHeader = normalizeLoadBalancerArgs("alb", { ...BASE, targets: [ADMIN, API, web] });
            expect(withHeader.targets.map((t) => [t.name, t.priority])).to.deep.equal([
                ["admin", 1],
                ["api", DEFAULT_RULE_PRIORITY],
                ["web", 2],
            ]);
            const world = normalizeLoadBalancerArgs("alb", { ...BASE, ingress: "world", targets: [ADMIN, API, web] });
            expect(world.targets.map((t) => [t.name, t.priority])).to.deep.equal([
                ["admin", 1],
                ["api", undefined],
                ["web", 2],
            ]);
        });
    });

    describe("names", () => {
        const ELB_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

        it("fits any ALB or target group name to 32 characters of letters, digits and inner hyphens, the same on every run", () => {
            fc.assert(
                fc.property(
                    fc.stringMatching(/^[a-z][a-z0-9-]{0,60}$/),
                    fc.stringMatching(/^[a-z][a-z0-9-]{0,31}$/),
                    fc.integer({ min: 1, max: 65535 }),
                    (scope, target, port) => {
                        const tg = targetGroupName(scope, target, port);
                        expect(tg.length).to.be.at.most(ELB_NAME_MAX);
                        expect(tg).to.match(ELB_NAME);
                        expect(tg.endsWith(`-${port}`)).to.equal(true);
                        expect(targetGroupName(scope, target, port)).to.equal(tg);
                        const lbName = loadBalancerName(scope);
                        expect(lbName.length).to.be.at.most(ELB_NAME_MAX);
                        expect(lbName).to.match(ELB_NAME);
                        expect(lbName.startsWith("internal-")).to.equal(false);
                    },
                ),
            );
        });

        it("keeps short names readable and tells apart long names that share their first 32 characters", () => {
            expect(targetGroupName("groundwork-prod-alb", "api", 3000)).to.equal("groundwork-prod-alb-api-3000");
            const a = targetGroupName("groundwork-production-edge-alb", "notifications-a", 8080);
            const b = targetGroupName("groundwork-production-edge-alb", "notifications-b", 8080);
            expect(a).to.not.equal(b);
            expect(a).to.match(/^groundwork-production-[0-9a-f]{4}-8080$/);
            expect(loadBalancerName("internal-tools-prod-alb")).to.match(/^lb-internal-tools-prod-alb$/);
            expect(fitName("groundwork-test-alb", 32)).to.equal("groundwork-test-alb");
        });

        it("names the ALB and target groups from project, stack, component and target, with the port in the target group's", async () => {
            const { rec } = await alb();
            expect(rec.one(T.lb, "alb").props.name).to.equal("groundwork-test-alb");
            const tgs = byName(rec.ofType(T.tg));
            expect(tgs["alb-api"].props.name).to.equal("groundwork-test-alb-api-3000");
            expect(tgs["alb-admin"].props.name).to.equal("groundwork-test-alb-admin-4000");
            const moved = await alb({ targets: [ADMIN, { ...API, port: 8080 }] });
            expect(moved.rec.one(T.tg, "alb-api").props.name).to.equal("groundwork-test-alb-api-8080");
        });
    });

    describe("listeners", () => {
        it("with a certificate, answers 80 only with a 301 to HTTPS and serves 443 with the TLS 1.3/1.2 policy", async () => {
            const { rec, alb: created } = await alb();
            const http = rec.one(T.listener, "alb-http");
            expect(http.props).to.include({ port: 80, protocol: "HTTP" });
            expect(http.props.defaultActions).to.deep.equal([
                { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
            ]);
            const https = rec.one(T.listener, "alb-https");
            expect(https.props).to.include({
                port: 443,
                protocol: "HTTPS",
                sslPolicy: HTTPS_SSL_POLICY,
                certificateArn: CERT,
            });
            expect(HTTPS_SSL_POLICY).to.equal("ELBSecurityPolicy-TLS13-1-2-2021-06");
            const onHttp = rec.ofType(T.rule).filter((r) => r.propertyDependencies.listenerArn?.includes(http.urn));
            expect(onHttp, "rules on the HTTP listener").to.deep.equal([]);
            expect(await promiseOf(created.httpsListenerArn!)).to.be.a("string");
        });

        it("forwards only requests carrying the origin header; everything else gets a fixed 403", async () => {
            const { rec, alb: created } = await alb();
            const https = rec.one(T.listener, "alb-https");
            expect(https.props.defaultActions).to.deep.equal([
                {
                    type: "fixed-response",
                    fixedResponse: { contentType: "text/plain", statusCode: "403", messageBody: "Forbidden" },
                },
            ]);
            const rules = byName(rec.ofType(T.rule));
            expect(Object.keys(rules).sort()).to.deep.equal(["alb-admin", "alb-api"]);
            const header = { httpHeader: { httpHeaderName: ORIGIN_VERIFY_HEADER, values: ["[secret]"] } };
            expect(rules["alb-admin"].props).to.deep.include({
                priority: 1,
                conditions: [
                    { pathPattern: { values: ["/admin/*"] } },
                    { hostHeader: { values: ["admin.example.com"] } },
                    header,
                ],
            });
            expect(rules["alb-api"].props).to.deep.include({ priority: DEFAULT_RULE_PRIORITY, conditions: [header] });
            const tgs = byName(rec.ofType(T.tg));
            for (const [rule, tg] of [
                ["alb-admin", "alb-admin"],
                ["alb-api", "alb-api"],
            ]) {
                expect(rules[rule].propertyDependencies.listenerArn).to.deep.equal([https.urn]);
                expect((rules[rule].props.actions as unknown[]).length).to.equal(1);
                expect(rules[rule].props.actions).to.deep.equal([
                    { type: "forward", targetGroupArn: await promiseOf(created.targetGroupArns[tg.slice(4)]) },
                ]);
                expect(rules[rule].propertyDependencies.actions).to.deep.equal([tgs[tg].urn]);
                // The header's value comes from the random password, as the CDN's does.
                expect(rules[rule].propertyDependencies.conditions).to.deep.equal([
                    rec.one(T.password, "alb-origin-verify").urn,
                ]);
            }
            expect(created.originVerifyHeaderName).to.equal("X-Origin-Verify");
        });

        it("keeps the origin header's value random (64 letters and digits), in Secrets Manager, and secret everywhere", async () => {
            const key = "arn:aws:kms:us-east-1:123456789012:key/secrets";
            const { rec, alb: created } = await alb({ secretKmsKeyArn: key });
            const password = rec.one(T.password, "alb-origin-verify");
            expect(password.props).to.include({ length: 64, special: false });
            const value = await promiseOf(created.originVerifyHeaderValue!);
            expect(value).to.have.length(64);
            expect(await pulumi.isSecret(created.originVerifyHeaderValue!)).to.equal(true);
            const secret = rec.one(T.secret, "alb-origin-verify");
            expect(secret.props).to.include({
                name: "groundwork/test/alb/origin-verify-header",
                kmsKeyId: key,
                recoveryWindowInDays: 0,
            });
            const version = rec.one(T.secretVersion, "alb-origin-verify");
            expect(version.props.secretString).to.equal("[secret]");
            expect(version.propertyDependencies.secretString).to.deep.equal([password.urn]);
            expect(JSON.stringify(rec.resources.map((r) => r.props))).not.to.include(value);
        });

        it("without a certificate, forwards on 80 (listener default to the default target, rules for the others)", async () => {
            const { rec, alb: created } = await alb({ certificateArn: undefined, ingress: "world" });
            expect(rec.ofType(T.listener).map((l) => l.name)).to.deep.equal(["alb-http"]);
            const http = rec.one(T.listener, "alb-http");
            expect(http.props.defaultActions).to.deep.equal([
                { type: "forward", targetGroupArn: await promiseOf(created.targetGroupArns.api) },
            ]);
            const rules = rec.ofType(T.rule);
            expect(rules.map((r) => r.name)).to.deep.equal(["alb-admin"]);
            expect(rules[0].propertyDependencies.listenerArn).to.deep.equal([http.urn]);
            expect(rules[0].props.conditions).to.deep.equal([
                { pathPattern: { values: ["/admin/*"] } },
                { hostHeader: { values: ["admin.example.com"] } },
            ]);
            expect(created.httpsListenerArn).to.equal(undefined);
            expect(created.originVerifyHeaderName).to.equal(undefined);
            expect(created.originVerifyHeaderValue).to.equal(undefined);
            expect(rec.ofType(T.secret)).to.deep.equal([]);
        });

        it("without a certificate behind CloudFront, answers 403 on 80 unless the origin header is there", async () => {
            const { rec } = await alb({ certificateArn: undefined });
            const http = rec.one(T.listener, "alb-http");
            expect((http.props.defaultActions as { type: string }[])[0].type).to.equal("fixed-response");
            expect(rec.ofType(T.rule).every((r) => r.propertyDependencies.listenerArn[0] === http.urn)).to.equal(true);
        });
    });

    describe("target groups", () => {
        it("checks health exactly as seed 002: HTTP on the traffic port, 30 s interval, 5 s timeout, 2 healthy, 3 unhealthy, 200", async () => {
            const { rec } = await alb();
            const api = rec.one(T.tg, "alb-api");
            expect(api.props).to.include({ targetType: "ip", protocol: "HTTP", port: 3000, vpcId: "vpc-0123" });
            expect(api.props.healthCheck).to.deep.equal({
                enabled: true,
                protocol: "HTTP",
                port: "traffic-port",
                path: "/api/health",
                matcher: "200",
                interval: 30,
                timeout: 5,
                healthyThreshold: 2,
                unhealthyThreshold: 3,
            });
            expect(rec.one(T.tg, "alb-admin").props.healthCheck).to.deep.include({ path: "/healthz" });
        });

        it("deregisters in 30 s unless told otherwise; sticky (lb_cookie) and slow start only where asked", async () => {
            const { rec } = await alb({ targets: [ADMIN, { ...API, deregistrationDelaySeconds: 5 }] });
            const api = rec.one(T.tg, "alb-api");
            const admin = rec.one(T.tg, "alb-admin");
            expect(api.props.deregistrationDelay).to.equal(5);
            expect(admin.props.deregistrationDelay).to.equal(30);
            expect(api.props.stickiness).to.deep.equal({ type: "lb_cookie", enabled: true, cookieDuration: 86400 });
            expect(admin.props).not.to.have.property("stickiness");
            expect(admin.props.slowStart).to.equal(60);
            expect(api.props).not.to.have.property("slowStart");
        });
    });

    describe("security groups", () => {
        it("behind CloudFront, admits only the origin-facing prefix list, on 443 only", async () => {
            const { rec, alb: created } = await alb();
            const sg = albSgOf(rec);
            expect(sg.props).not.to.have.property("ingress");
            expect(sg.props).not.to.have.property("egress");
            const sgId = albSgIdOf(rec);
            const ingress = rulesOn(rec, T.ingress, sgId);
            expect(ingress).to.have.length(1);
            expect(ingress[0].props).to.include({ ipProtocol: "tcp", fromPort: 443, toPort: 443 });
            expect(ingress[0].props.prefixListId).to.match(/^pl-/);
            for (const key of ["cidrIpv4", "cidrIpv6", "referencedSecurityGroupId"]) {
                expect(ingress[0].props, key).not.to.have.property(key);
            }
            expect(await promiseOf(created.securityGroupId)).to.equal(sgId);
            expect(ingress[0].propertyDependencies.securityGroupId).to.deep.equal([sg.urn]);
            expect(CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST).to.equal("com.amazonaws.global.cloudfront.origin-facing");
        });

        it("with the CDN off, opens 80 and 443 to 0.0.0.0/0 and ::/0 (seed 002), and only 80 without a certificate", async () => {
            const { rec } = await alb({ ingress: "world" });
            const open = (r: Recorded) =>
                rulesOn(r, T.ingress, albSgIdOf(r))
                    .map((i) => `${i.props.fromPort}-${i.props.toPort} ${i.props.cidrIpv4 ?? i.props.cidrIpv6}`)
                    .sort();
            expect(open(rec)).to.deep.equal(["443-443 0.0.0.0/0", "443-443 ::/0", "80-80 0.0.0.0/0", "80-80 ::/0"]);
            const plain = await alb({ ingress: "world", certificateArn: undefined });
            expect(open(plain.rec)).to.deep.equal(["80-80 0.0.0.0/0", "80-80 ::/0"]);
        });

        it("lets the ALB out only to each target's group on its port, and each target in only from the ALB's group", async () => {
            const { rec } = await alb();
            const sg = albSgIdOf(rec);
            const egress = rec.ofType(T.egress);
            expect(egress.every((e) => e.props.securityGroupId === sg)).to.equal(true);
            expect(
                egress.map((e) => [e.props.referencedSecurityGroupId, e.props.fromPort, e.props.toPort]).sort(),
            ).to.deep.equal([
                ["sg-0admin", 4000, 4000],
                [APP_SG, 3000, 3000],
            ]);
            const onTargets = rec.ofType(T.ingress).filter((i) => i.props.securityGroupId !== sg);
            expect(
                onTargets
                    .map((i) => [i.props.securityGroupId, i.props.fromPort, i.props.referencedSecurityGroupId])
                    .sort(),
            ).to.deep.equal([
                ["sg-0admin", 4000, sg],
                [APP_SG, 3000, sg],
            ]);
            for (const rule of [...egress, ...onTargets]) {
                expect(rule.props.ipProtocol).to.equal("tcp");
                expect(rule.props, rule.name).not.to.have.property("cidrIpv4");
            }
        });

        it("shares one rule pair among targets on the same group and port (AWS refuses duplicates), keyed by port", () => {
            const shared = pulumi.output("sg-shared");
            const t = (name: string, port: number, securityGroupId: pulumi.Input<string>) => ({
                name,
                port,
                securityGroupId,
                healthCheckPath: "/",
                pathPatterns: [],
                hostHeaders: [],
                deregistrationDelaySeconds: 30,
            });
            const pairs = targetChainPairs([
                t("api", 3000, shared),
                t("web", 3000, shared),
                t("docs", 3000, "sg-other"),
                t("admin", 4000, shared),
                t("ops", 4000, "sg-other"),
                t("ops2", 4000, "sg-other"),
            ]);
            expect(pairs.map((p) => [p.key, p.targets])).to.deep.equal([
                ["3000", ["api", "web"]],
                ["3000-docs", ["docs"]],
                ["4000", ["admin"]],
                ["4000-ops", ["ops", "ops2"]],
            ]);
        });

        it("tags the internet-facing ALB and its group public-alb, which the pack allows to be public", async () => {
            const { rec } = await alb({ ingress: "world" });
            expect(rec.one(T.lb, "alb").props.tags).to.deep.include({ "groundwork:role": "public-alb" });
            expect(albSgOf(rec).props.tags).to.deep.include({ "groundwork:role": "public-alb" });
        });
    });

    describe("internal behind a CloudFront VPC origin", () => {
        const INTERNAL: Partial<LoadBalancerArgs> = { scheme: "internal", ingress: "vpc-origin" };

        it("is internal, untagged as public, admits the origin-facing prefix list on the listener port and forwards without a header", async () => {
            const { rec, alb: created } = await alb(INTERNAL);
            const balancer = rec.one(T.lb, "alb");
            expect(balancer.props.internal).to.equal(true);
            expect(balancer.props.tags).to.deep.equal({ Name: "alb" });
            expect(albSgOf(rec).props.tags).to.deep.include({ "groundwork:role": "internal-alb" });
            const ingress = rulesOn(rec, T.ingress, albSgIdOf(rec));
            expect(ingress.map((i) => [i.props.fromPort, typeof i.props.prefixListId])).to.deep.equal([
                [443, "string"],
            ]);
            expect(rec.one(T.listener, "alb-https").props.defaultActions).to.deep.equal([
                { type: "forward", targetGroupArn: await promiseOf(created.targetGroupArns.api) },
            ]);
            expect(rec.ofType(T.rule).map((r) => r.name)).to.deep.equal(["alb-admin"]);
        });

        it("admits CloudFront's VPC-origin security group instead, once it is known", async () => {
            const { rec } = await alb({ ...INTERNAL, vpcOriginSecurityGroupId: "sg-0cfvpcorigin" });
            const ingress = rulesOn(rec, T.ingress, albSgIdOf(rec));
            expect(ingress.map((i) => [i.props.fromPort, i.props.referencedSecurityGroupId])).to.deep.equal([
                [443, "sg-0cfvpcorigin"],
            ]);
            expect(ingress[0].props).not.to.have.property("prefixListId");
        });
    });

    describe("load balancer", () => {
        it("drops invalid headers, mitigates desync, speaks HTTP/2 and logs to its bucket, after the bucket policy exists", async () => {
            const { rec, alb: created } = await alb({ idleTimeoutSeconds: 120, desyncMitigationMode: "strictest" });
            const balancer = rec.one(T.lb, "alb");
            expect(balancer.props).to.include({
                loadBalancerType: "application",
                internal: false,
                dropInvalidHeaderFields: true,
                desyncMitigationMode: "strictest",
                enableHttp2: true,
                idleTimeout: 120,
                enableDeletionProtection: false,
            });
            expect(balancer.props.subnets).to.deep.equal(SUBNETS);
            expect(balancer.propertyDependencies.securityGroups).to.deep.equal([albSgOf(rec).urn]);
            const bucketName = await promiseOf(created.accessLogsBucketName);
            expect(bucketName).to.match(/^groundwork-test-alb-logs-/);
            expect(balancer.props.accessLogs).to.deep.equal({ bucket: bucketName, enabled: true });
            expect(balancer.propertyDependencies.accessLogs).to.deep.equal([rec.one(T.bucket, "alb-logs").urn]);
            expect(balancer.dependencies).to.include(rec.one(T.bucketPolicy, "alb-logs-policy").urn);
            expect(await promiseOf(created.arnSuffix)).to.match(/^app\/groundwork-test-alb\//);
            expect(await promiseOf(created.zoneId)).to.be.a("string");
            expect(await promiseOf(created.dnsName)).to.match(/elb\.amazonaws\.com$/);
        });

        it("turns deletion protection on when asked (prod)", async () => {
            const { rec } = await alb({ deletionProtection: true });
            expect(rec.one(T.lb, "alb").props.enableDeletionProtection).to.equal(true);
        });

        it("is replaced delete-first, since its fixed name cannot exist twice", async () => {
            const { rec } = await alb();
            expect(rec.one(T.lb, "alb").options.deleteBeforeReplace).to.equal(true);
            // Target groups are not: their names change with what replaces them (the port), so the new one
            // is created and the rules moved to it before the old one, still in use, is deleted.
            expect(rec.one(T.tg, "alb-api").options.deleteBeforeReplace).to.equal(false);
        });

        it("associates a regional WAF web ACL when given one", async () => {
            const acl = "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/edge/abc";
            const { rec } = await alb({ ingress: "world", webAclArn: acl });
            const association = rec.one(T.waf, "alb-waf");
            expect(association.props.webAclArn).to.equal(acl);
            expect(association.propertyDependencies.resourceArn).to.deep.equal([rec.one(T.lb, "alb").urn]);
            expect((await alb()).rec.ofType(T.waf)).to.deep.equal([]);
        });
    });

    describe("access-log bucket", () => {
        it("logs its own server access to the named bucket (Security Hub S3.9), and only when one is named", async () => {
            const { rec, alb: created } = await alb({ serverAccessLogBucketName: "groundwork-test-access-logs-1" });
            const logging = rec.one("aws:s3/bucketLogging:BucketLogging", "alb-logs-logging");
            expect(logging.props).to.include({
                targetBucket: "groundwork-test-access-logs-1",
                targetPrefix: "alb-logs/",
            });
            expect(logging.propertyDependencies.bucket).to.deep.equal([rec.one(T.bucket, "alb-logs").urn]);
            expect(await promiseOf(created.accessLogsBucketArn)).to.match(/^arn:aws:s3:::groundwork-test-alb-logs-/);
            expect((await alb()).rec.ofType("aws:s3/bucketLogging:BucketLogging")).to.deep.equal([]);
        });

        it("uses SSE-S3 (all ELB log delivery supports), blocks public access and ACLs, and expires logs", async () => {
            const { rec } = await alb({ accessLogRetentionDays: 30 });
            const bucket = rec.one(T.bucket, "alb-logs");
            expect(bucket.props.bucketPrefix).to.equal("groundwork-test-alb-logs-");
            expect(rec.one(T.sse, "alb-logs-encryption").props.rules).to.deep.equal([
                { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
            ]);
            expect(rec.one(T.bpa, "alb-logs-public-access").props).to.include({
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            });
            expect(rec.one(T.ownership, "alb-logs-ownership").props.rule).to.deep.equal({
                objectOwnership: "BucketOwnerEnforced",
            });
            const rules = rec.one(T.lifecycle, "alb-logs-lifecycle").props.rules as Record<string, unknown>[];
            expect(rules[0]).to.deep.include({ status: "Enabled", expiration: { days: 30 } });
        });

        it("lets only ELB log delivery write, only s3:PutObject under AWSLogs/<account>/, and denies requests without TLS 1.2", async () => {
            const { rec, alb: created } = await alb();
            const arn = `arn:aws:s3:::${await promiseOf(created.accessLogsBucketName)}`;
            const statements = policyOf(rec).Statement;
            expect(statements.filter((s) => s.Effect === "Allow")).to.deep.equal([
                {
                    Sid: "ElbAccessLogDelivery",
                    Effect: "Allow",
                    Principal: { Service: ELB_LOG_DELIVERY_SERVICE },
                    Action: "s3:PutObject",
                    Resource: `${arn}/AWSLogs/123456789012/*`,
                },
            ]);
            const denies = statements.filter((s) => s.Effect === "Deny");
            expect(denies.map((s) => s.Condition)).to.deep.equal([
                { Bool: { "aws:SecureTransport": "false" } },
                { NumericLessThan: { "s3:TlsVersion": "1.2" } },
            ]);
            expect(rec.one(T.bucketPolicy, "alb-logs-policy").dependencies).to.include(
                rec.one(T.bpa, "alb-logs-public-access").urn,
            );
        });

        it("is emptied on destroy unless protected; protect keeps the bucket and the origin header's secret", async () => {
            const dev = await alb();
            expect(dev.rec.one(T.bucket, "alb-logs").props.forceDestroy).to.equal(true);
            expect(dev.rec.one(T.bucket, "alb-logs").options).to.include({ protect: false, retainOnDelete: false });
            const prod = await alb({ protect: true });
            const bucket = prod.rec.one(T.bucket, "alb-logs");
            expect(bucket.props.forceDestroy).to.equal(false);
            expect(bucket.options).to.include({ protect: true, retainOnDelete: true });
            const secret = prod.rec.one(T.secret, "alb-origin-verify");
            expect(secret.options).to.include({ protect: true, retainOnDelete: true });
            expect(secret.props.recoveryWindowInDays).to.equal(30);
        });
    });

    describe("alarms and dashboard", () => {
        it("alarms on target and ELB 5XX over 10 a minute (critical) and average latency over 1 s for 5 minutes (warning)", async () => {
            const { rec, alb: created } = await alb();
            const alarms = byName(rec.ofType(T.alarm));
            const suffix = await promiseOf(created.arnSuffix);
            const balancer = rec.one(T.lb, "alb");
            const expected: Record<string, Record<string, unknown>> = {
                "alb-target-5xx": {
                    metricName: "HTTPCode_Target_5XX_Count",
                    statistic: "Sum",
                    period: 60,
                    threshold: 10,
                },
                "alb-elb-5xx": { metricName: "HTTPCode_ELB_5XX_Count", statistic: "Sum", period: 60, threshold: 10 },
                "alb-latency": { metricName: "TargetResponseTime", statistic: "Average", period: 300, threshold: 1 },
            };
            for (const [name, props] of Object.entries(expected)) {
                expect(alarms[name].props, name).to.include({
                    ...props,
                    namespace: "AWS/ApplicationELB",
                    comparisonOperator: "GreaterThanThreshold",
                    evaluationPeriods: 1,
                });
                expect(alarms[name].props.dimensions).to.deep.equal({ LoadBalancer: suffix });
                expect(alarms[name].propertyDependencies.dimensions).to.deep.equal([balancer.urn]);
                expect(alarms[name].props.alarmActions).to.deep.equal([TOPIC]);
            }
            expect((alarms["alb-target-5xx"].props.tags as Record<string, string>).severity).to.equal("critical");
            expect((alarms["alb-elb-5xx"].props.tags as Record<string, string>).severity).to.equal("critical");
            expect((alarms["alb-latency"].props.tags as Record<string, string>).severity).to.equal("warning");
        });

        it("alarms on any unhealthy target in each target group, with TargetGroup and LoadBalancer dimensions", async () => {
            const { rec, alb: created } = await alb();
            const suffix = await promiseOf(created.arnSuffix);
            for (const target of ["api", "admin"]) {
                const alarm = rec.one(T.alarm, `alb-${target}-unhealthy`);
                const tg = rec.one(T.tg, `alb-${target}`);
                expect(alarm.props).to.include({
                    namespace: "AWS/ApplicationELB",
                    metricName: "UnHealthyHostCount",
                    statistic: "Maximum",
                    threshold: 0,
                    comparisonOperator: "GreaterThanThreshold",
                    period: 60,
                    evaluationPeriods: 2,
                });
                const dims = alarm.props.dimensions as Record<string, string>;
                expect(dims.LoadBalancer).to.equal(suffix);
                expect(dims.TargetGroup).to.match(new RegExp(`^targetgroup/groundwork-test-alb-${target}-\\d+/`));
                expect(alarm.propertyDependencies.dimensions).to.have.members([tg.urn, rec.one(T.lb, "alb").urn]);
                expect((alarm.props.tags as Record<string, string>).severity).to.equal("critical");
            }
        });

        it("pages when over 5 % of requests fail with a 5XX: metric math over requests and both 5XX counts", async () => {
            const { rec } = await alb();
            const balancer = rec.one(T.lb, "alb");
            const alarm = rec.one(T.alarm, "alb-error-rate");
            expect(alarm.props).to.include({
                threshold: 5,
                comparisonOperator: "GreaterThanThreshold",
                evaluationPeriods: 1,
                treatMissingData: "notBreaching",
            });
            expect(alarm.props).not.to.have.any.keys("metricName", "namespace", "statistic");
            const queries = alarm.props.metricQueries as {
                id: string;
                returnData: boolean;
                expression?: string;
                metric?: { metricName: string; namespace: string; stat: string; period: number };
            }[];
            expect(queries.map((q) => [q.id, q.metric?.metricName ?? q.expression, q.returnData])).to.deep.equal([
                ["requests", "RequestCount", false],
                ["target5xx", "HTTPCode_Target_5XX_Count", false],
                ["elb5xx", "HTTPCode_ELB_5XX_Count", false],
                ["e1", ERROR_RATE_EXPRESSION, true],
            ]);
            // 100 × (target + ELB 5XX) / (requests + ELB 5XX), 0 below 50 requests, absent series as 0.
            expect(ERROR_RATE_EXPRESSION).to.equal(
                "IF((FILL(requests, 0) + FILL(elb5xx, 0)) >= 50, 100 * (FILL(target5xx, 0) + FILL(elb5xx, 0)) / (FILL(requests, 0) + FILL(elb5xx, 0)), 0)",
            );
            for (const q of queries.slice(0, 3)) {
                expect(q.metric).to.deep.include({ namespace: "AWS/ApplicationELB", stat: "Sum", period: 300 });
            }
            // Linked to the load balancer through its dimensions, as the pack's coverage rules read it.
            expect(alarm.propertyDependencies.metricQueries).to.deep.equal([balancer.urn]);
            expect((alarm.props.tags as Record<string, string>).severity).to.equal("critical");
        });

        it("sends critical alarms to criticalAlarmTopicArn and warnings to alarmTopicArn", async () => {
            const critical = "arn:aws:sns:us-east-1:123456789012:critical";
            const { rec } = await alb({ criticalAlarmTopicArn: critical });
            for (const alarm of rec.ofType(T.alarm)) {
                const severity = (alarm.props.tags as Record<string, string>).severity;
                const topic = severity === "critical" ? critical : TOPIC;
                expect(alarm.props.alarmActions, alarm.name).to.deep.equal([topic]);
                expect(alarm.props.okActions, alarm.name).to.deep.equal([topic]);
            }
            expect(rec.one(T.alarm, "alb-latency").props.alarmActions).to.deep.equal([TOPIC]);
        });

        it("offers request, 4XX/5XX, latency and error-rate widgets on the load balancer's metrics", async () => {
            const { alb: created } = await alb();
            const suffix = await promiseOf(created.arnSuffix);
            const widgets = await Promise.all(
                created.dashboardWidgets.map((w) => promiseOf(pulumi.output(w.properties))),
            );
            expect(widgets.map((w) => w.title)).to.deep.equal([
                "alb: requests",
                "alb: 4XX and 5XX responses",
                "alb: target response time (s)",
                "alb: 5XX error rate (%)",
            ]);
            const [requests, codes, latency, rate] = widgets.map((w) => w.metrics as unknown[][]);
            expect([requests, codes, latency].map((rows) => rows.map((m) => m[1]))).to.deep.equal([
                ["RequestCount"],
                [
                    "HTTPCode_Target_4XX_Count",
                    "HTTPCode_ELB_4XX_Count",
                    "HTTPCode_Target_5XX_Count",
                    "HTTPCode_ELB_5XX_Count",
                ],
                ["TargetResponseTime"],
            ]);
            for (const m of [...requests, ...codes, ...latency]) {
                expect(m).to.deep.equal(["AWS/ApplicationELB", m[1], "LoadBalancer", suffix]);
            }
            // The alarm's expression, over hidden metrics with the ids it names.
            expect(rate[0]).to.deep.equal([
                { expression: ERROR_RATE_EXPRESSION, label: "5XX error rate (%)", id: "e1" },
            ]);
            expect(rate.slice(1)).to.deep.equal([
                ["AWS/ApplicationELB", "RequestCount", "LoadBalancer", suffix, { id: "requests", visible: false }],
                [
                    "AWS/ApplicationELB",
                    "HTTPCode_Target_5XX_Count",
                    "LoadBalancer",
                    suffix,
                    { id: "target5xx", visible: false },
                ],
                [
                    "AWS/ApplicationELB",
                    "HTTPCode_ELB_5XX_Count",
                    "LoadBalancer",
                    suffix,
                    { id: "elb5xx", visible: false },
                ],
            ]);
        });
    });

    describe("policy pack", () => {
        const RULES = [
            "tls-alb-listener",
            "tls-alb-listener-rules",
            "enc-s3-sse",
            "enc-s3-tls-only",
            "net-s3-bpa",
            "net-alb-scheme",
            "net-sg-ingress",
            "net-sg-ingress-public-alb",
            "net-resource-policies",
            "net-resource-principals",
            "res-alb-delete-protect",
            "res-alb-target-health",
            "res-protect-stateful",
            "log-alb",
            "alarm-alb",
            "alarm-actions",
            "enc-cmk-misc",
            "enc-cmk-managed",
        ];

        /** The prod shape, with a real alarm topic and a key of this stack for the secret. */
        async function prodPlan(overrides: Partial<LoadBalancerArgs>): Promise<Recorded> {
            return run(() => {
                const monitoring = new Monitoring("mon", { region: "us-east-1", alarmEmails: ["ops@example.com"] });
                const key = new kms.Key("secrets-key", { enableKeyRotation: true });
                new LoadBalancer("alb", {
                    ...BASE,
                    alarmTopicArn: monitoring.alarmTopicArn,
                    secretKmsKeyArn: key.arn,
                    deletionProtection: true,
                    protect: true,
                    ...overrides,
                });
            });
        }

        for (const [shape, overrides] of [
            ["behind CloudFront", {}],
            ["open to the world (CDN off)", { ingress: "world" }],
            ["internal behind a VPC origin", { scheme: "internal", ingress: "vpc-origin" }],
        ] as [string, Partial<LoadBalancerArgs>][]) {
            it(`passes every ALB rule in prod ${shape}`, async () => {
                const rec = await prodPlan(overrides);
                const report = evaluate(rec.resources);
                const mine = new Set(rec.resources.filter((r) => r.name.startsWith("alb")).map((r) => r.urn));
                for (const rule of RULES) {
                    expectClean(
                        { ...report, violations: report.violations.filter((v) => !v.urn || mine.has(v.urn)) },
                        rule,
                    );
                }
            });
        }

        it("flags what the component must never produce: no deletion protection in prod, a log bucket anyone else may write", async () => {
            const rec = await prodPlan({ deletionProtection: false });
            const balancer = rec.one(T.lb, "alb");
            expectViolation(
                evaluate(rec.resources),
                "res-alb-delete-protect",
                "enableDeletionProtection",
                balancer.urn,
            );
            const policy = rec.one(T.bucketPolicy, "alb-logs-policy");
            const widened = JSON.parse(policy.props.policy as string) as { Statement: Record<string, unknown>[] };
            widened.Statement[2].Action = ["s3:PutObject", "s3:GetObject"];
            const tampered = rec.resources.map((r) =>
                r.urn === policy.urn ? { ...r, props: { ...r.props, policy: JSON.stringify(widened) } } : r,
            );
            expectViolation(evaluate(tampered), "enc-s3-sse", "SSE-S3", rec.one(T.bucket, "alb-logs").urn);
        });

        it("reports the HTTP-only shape (no certificate): the HTTP listener forwards instead of redirecting", async () => {
            const rec = await prodPlan({ certificateArn: undefined });
            const report = evaluate(rec.resources, {}, "dev");
            expectViolation(report, "tls-alb-listener", "must only redirect", rec.one(T.listener, "alb-http").urn);
            expectViolation(report, "tls-alb-listener-rules", "travel unencrypted");
        });
    });
});
