import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { Cdn } from "../../components/cdn";
import { WebAcl, WebAclArgs, normalizeWebAclArgs } from "../../components/web-acl";
import type { PlannedResource } from "../../tools/plan-types";
import { Recorded, promiseOf, run } from "../helpers";
import { evaluate, expectClean, violationsOf } from "../policy/fixtures";

const T = {
    acl: "aws:wafv2/webAcl:WebAcl",
    logging: "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
    key: "aws:kms/key:Key",
    alias: "aws:kms/alias:Alias",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    logPolicy: "aws:cloudwatch/logResourcePolicy:LogResourcePolicy",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
};

const EDGE_TOPIC = "arn:aws:sns:us-east-1:123456789012:edge-alarms";
const EU_TOPIC = "arn:aws:sns:eu-west-1:123456789012:alarms";
/** A stack outside us-east-1, so a CLOUDFRONT child left in the stack's region shows. */
const EU = { "aws:region": "eu-west-1" };

async function webAcl(args: Partial<WebAclArgs> = {}): Promise<{ rec: Recorded; acl: WebAcl }> {
    let created: WebAcl | undefined;
    const rec = await run(
        () => {
            created = new WebAcl("waf", { scope: "CLOUDFRONT", alarmTopicArn: EDGE_TOPIC, ...args });
        },
        "test",
        EU,
    );
    return { rec, acl: created! };
}

type Props = Record<string, unknown>;
const rulesOf = (rec: Recorded) => rec.one(T.acl, "waf").props.rules as Props[];

function rejects(args: Partial<WebAclArgs>, pattern: RegExp): void {
    expect(() =>
        normalizeWebAclArgs("waf", { scope: "CLOUDFRONT", alarmTopicArn: EDGE_TOPIC, ...args } as WebAclArgs),
    ).to.throw(pattern);
}

describe("WebAcl", () => {
    describe("arguments", () => {
        it("defaults to 2,000 requests per IP in 5 minutes, a 1,000 blocked-requests alarm and 30-day logs", () => {
            const cfg = normalizeWebAclArgs("waf", { scope: "CLOUDFRONT", alarmTopicArn: EDGE_TOPIC });
            expect(cfg).to.deep.include({
                scope: "CLOUDFRONT",
                region: "us-east-1",
                rateLimitPer5Minutes: 2000,
                blockedRequestsAlarmThreshold: 1000,
                logRetentionDays: 30,
                protect: false,
            });
            expect(cfg.logGroupName).to.equal(`aws-waf-logs-${cfg.aclName}`);
            expect(normalizeWebAclArgs("waf", { scope: "REGIONAL", alarmTopicArn: EU_TOPIC }).region).to.equal(
                undefined,
            );
        });

        it("rejects a scope other than CLOUDFRONT or REGIONAL", () => {
            rejects(
                { scope: "cloudfront" },
                /^WebAcl "waf": args\.scope is "cloudfront"; allowed: CLOUDFRONT, REGIONAL$/,
            );
        });

        it("rejects a rate limit WAF refuses (below 10) or a fraction", () => {
            rejects(
                { rateLimitPer5Minutes: 9 },
                /args\.rateLimitPer5Minutes is 9; must be a whole number from 10 to 2000000000/,
            );
            rejects({ rateLimitPer5Minutes: 100.5 }, /args\.rateLimitPer5Minutes is 100\.5/);
            expect(
                normalizeWebAclArgs("waf", { scope: "REGIONAL", alarmTopicArn: EU_TOPIC, rateLimitPer5Minutes: 10 })
                    .rateLimitPer5Minutes,
            ).to.equal(10);
        });

        it("rejects a non-positive alarm threshold and a retention CloudWatch Logs does not offer", () => {
            rejects({ blockedRequestsAlarmThreshold: 0 }, /args\.blockedRequestsAlarmThreshold is 0/);
            rejects(
                { logRetentionDays: 45 },
                /args\.logRetentionDays is 45, which is not a CloudWatch Logs retention period/,
            );
        });

        it("requires an alarm topic, in us-east-1 for a CLOUDFRONT ACL", () => {
            rejects({ alarmTopicArn: undefined }, /args\.alarmTopicArn is required/);
            rejects(
                { alarmTopicArn: EU_TOPIC },
                /args\.alarmTopicArn is a topic in eu-west-1; a CLOUDFRONT web ACL's alarm lives in us-east-1/,
            );
            rejects(
                { criticalAlarmTopicArn: EU_TOPIC },
                /args\.criticalAlarmTopicArn is a topic in eu-west-1; a CLOUDFRONT web ACL's alarm lives in us-east-1/,
            );
            expect(() => normalizeWebAclArgs("waf", { scope: "REGIONAL", alarmTopicArn: EU_TOPIC })).not.to.throw();
        });
    });

    describe("CLOUDFRONT scope", () => {
        let rec: Recorded;
        let created: WebAcl;
        before(async () => {
            ({ rec, acl: created } = await webAcl());
        });

        it("creates the ACL and every child in us-east-1, whatever the stack's region", () => {
            const children = rec.resources.filter((r) => r.custom);
            expect(children.map((r) => r.type)).to.have.members([
                T.acl,
                T.key,
                T.alias,
                T.logGroup,
                T.logPolicy,
                T.logging,
                T.alarm,
            ]);
            for (const r of children) {
                expect(r.props.region, r.type).to.equal("us-east-1");
            }
            expect(rec.one(T.acl, "waf").props).to.include({ scope: "CLOUDFRONT", name: "groundwork-test-waf" });
        });

        it("allows by default and blocks through IP reputation, the per-IP rate limit, core and known-bad-inputs rules", () => {
            const acl = rec.one(T.acl, "waf");
            expect(acl.props.defaultAction).to.deep.equal({ allow: {} });
            const rules = rulesOf(rec);
            expect(rules.map((r) => [r.priority, r.name])).to.deep.equal([
                [0, "AWSManagedRulesAmazonIpReputationList"],
                [1, "rate-limit-per-ip"],
                [2, "AWSManagedRulesCommonRuleSet"],
                [3, "AWSManagedRulesKnownBadInputsRuleSet"],
            ]);
            for (const group of rules.filter((r) => r.name !== "rate-limit-per-ip")) {
                expect(group.overrideAction, String(group.name)).to.deep.equal({ none: {} });
                expect(group).not.to.have.property("action");
                expect(group.statement).to.deep.equal({
                    managedRuleGroupStatement: { name: group.name, vendorName: "AWS" },
                });
            }
            const rate = rules.find((r) => r.name === "rate-limit-per-ip")!;
            expect(rate.action).to.deep.equal({ block: {} });
            expect(rate.statement).to.deep.equal({
                rateBasedStatement: { limit: 2000, aggregateKeyType: "IP", evaluationWindowSec: 300 },
            });
        });

        it("publishes metrics and samples for the ACL and every rule, named after them", () => {
            const acl = rec.one(T.acl, "waf");
            expect(acl.props.visibilityConfig).to.deep.equal({
                cloudwatchMetricsEnabled: true,
                metricName: "groundwork-test-waf",
                sampledRequestsEnabled: true,
            });
            for (const rule of rulesOf(rec)) {
                expect(rule.visibilityConfig).to.deep.equal({
                    cloudwatchMetricsEnabled: true,
                    metricName: rule.name,
                    sampledRequestsEnabled: true,
                });
            }
        });

        it("logs to an encrypted aws-waf-logs- group with Authorization and Cookie redacted", async () => {
            const group = rec.one(T.logGroup, "waf-logs");
            const logging = rec.one(T.logging, "waf-logging");
            const policy = rec.one(T.logPolicy, "waf-logs");
            expect(group.props).to.include({
                name: "aws-waf-logs-groundwork-test-waf",
                retentionInDays: 30,
                kmsKeyId: await promiseOf(created.nodes.key.key.arn),
            });
            expect(await promiseOf(created.logGroupName)).to.equal("aws-waf-logs-groundwork-test-waf");
            const groupArn = "arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-groundwork-test-waf";
            expect(logging.props).to.deep.include({
                resourceArn: await promiseOf(created.webAclArn),
                logDestinationConfigs: [groupArn],
                redactedFields: [{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }],
            });
            expect(logging.propertyDependencies.resourceArn).to.deep.equal([rec.one(T.acl, "waf").urn]);
            expect(logging.dependencies, "the group's policy exists before WAF writes").to.include(policy.urn);
            expect(policy.props.resourceArn).to.equal(groupArn);
            const [statement] = JSON.parse(policy.props.policyDocument as string).Statement;
            expect(statement).to.deep.include({
                Principal: { Service: "delivery.logs.amazonaws.com" },
                Resource: `${groupArn}:log-stream:*`,
                Condition: {
                    StringEquals: { "aws:SourceAccount": "123456789012" },
                    ArnLike: { "aws:SourceArn": "arn:aws:logs:us-east-1:123456789012:*" },
                },
            });
        });

        it("lets CloudWatch Logs of us-east-1 use the log key for the WAF group only", () => {
            const grant = JSON.parse(rec.one(T.key, "waf-logs-key").props.policy as string).Statement.find(
                (s: { Sid: string }) => s.Sid === "CloudWatchLogsEncryptsLogGroups",
            );
            expect(grant.Principal).to.deep.equal({ Service: "logs.us-east-1.amazonaws.com" });
            expect(grant.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"]).to.deep.equal([
                "arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-groundwork-test-waf",
            ]);
        });

        it("warns in us-east-1 on over 1,000 blocked requests in 5 minutes, on the ACL's dimensions without Region", () => {
            const alarm = rec.one(T.alarm, "waf-blocked-requests");
            expect(alarm.props).to.deep.include({
                region: "us-east-1",
                namespace: "AWS/WAFV2",
                metricName: "BlockedRequests",
                dimensions: { WebACL: "groundwork-test-waf", Rule: "ALL" },
                statistic: "Sum",
                period: 300,
                threshold: 1000,
                comparisonOperator: "GreaterThanThreshold",
                alarmActions: [EDGE_TOPIC],
                tags: { severity: "warning" },
            });
            expect(alarm.propertyDependencies.dimensions).to.deep.equal([rec.one(T.acl, "waf").urn]);
        });

        it("offers a requests widget read in us-east-1", async () => {
            expect(created.dashboardWidgets).to.have.length(1);
            const props = (await promiseOf(pulumi.output(created.dashboardWidgets[0].properties))) as Props;
            expect(props.region).to.equal("us-east-1");
            expect(props.metrics).to.deep.equal([
                ["AWS/WAFV2", "AllowedRequests", "WebACL", "groundwork-test-waf", "Rule", "ALL"],
                ["AWS/WAFV2", "BlockedRequests", "WebACL", "groundwork-test-waf", "Rule", "ALL"],
            ]);
        });

        it("exposes a global-scope ARN for a distribution's webAclId", async () => {
            expect(await promiseOf(created.webAclArn)).to.match(
                /^arn:aws:wafv2:us-east-1:123456789012:global\/webacl\/groundwork-test-waf\//,
            );
            expect(await promiseOf(created.webAclId)).to.be.a("string");
        });

        it("protects the log key only when asked", async () => {
            expect(rec.one(T.key, "waf-logs-key").options.protect).to.equal(false);
            const { rec: prod } = await webAcl({ protect: true });
            expect(prod.one(T.key, "waf-logs-key").options).to.include({ protect: true, retainOnDelete: true });
        });
    });

    describe("REGIONAL scope", () => {
        let rec: Recorded;
        let created: WebAcl;
        before(async () => {
            ({ rec, acl: created } = await webAcl({
                scope: "REGIONAL",
                alarmTopicArn: EU_TOPIC,
                rateLimitPer5Minutes: 500,
                blockedRequestsAlarmThreshold: 200,
                logRetentionDays: 365,
            }));
        });

        it("stays in the stack's region", () => {
            for (const r of rec.resources.filter((x) => x.custom)) {
                expect(r.props, r.type).not.to.have.property("region");
            }
            expect(rec.one(T.acl, "waf").props.scope).to.equal("REGIONAL");
        });

        it("uses the given rate limit, alarm threshold and retention", () => {
            const rate = rulesOf(rec).find((r) => r.name === "rate-limit-per-ip")!;
            expect((rate.statement as Props).rateBasedStatement).to.include({ limit: 500 });
            expect(rec.one(T.alarm, "waf-blocked-requests").props.threshold).to.equal(200);
            expect(rec.one(T.logGroup, "waf-logs").props.retentionInDays).to.equal(365);
        });

        it("alarms with the Region dimension regional metrics carry, and grants the stack region's Logs", async () => {
            expect(rec.one(T.alarm, "waf-blocked-requests").props.dimensions).to.deep.equal({
                WebACL: "groundwork-test-waf",
                Rule: "ALL",
                Region: "eu-west-1",
            });
            const grant = JSON.parse(rec.one(T.key, "waf-logs-key").props.policy as string).Statement.find(
                (s: { Sid: string }) => s.Sid === "CloudWatchLogsEncryptsLogGroups",
            );
            expect(grant.Principal).to.deep.equal({ Service: "logs.eu-west-1.amazonaws.com" });
            const [statement] = JSON.parse(rec.one(T.logPolicy, "waf-logs").props.policyDocument as string).Statement;
            expect(statement.Condition.ArnLike).to.deep.equal({
                "aws:SourceArn": "arn:aws:logs:eu-west-1:123456789012:*",
            });
            const props = (await promiseOf(pulumi.output(created.dashboardWidgets[0].properties))) as Props;
            expect(props).not.to.have.property("region");
        });
    });

    describe("against the policy pack", () => {
        it("passes the WAF rules, and net-cf-oac in prod once attached to a distribution", async () => {
            const rec = await run(
                () => {
                    // A year of logs, as prod keeps them.
                    const waf = new WebAcl("waf", {
                        scope: "CLOUDFRONT",
                        alarmTopicArn: EDGE_TOPIC,
                        logRetentionDays: 365,
                    });
                    new Cdn("cdn", {
                        logRetentionDays: 365,
                        originDomainName: "origin.example.com",
                        assetsBucketRegionalDomainName: "assets.s3.eu-west-1.amazonaws.com",
                        webAclArn: waf.webAclArn,
                        alarmTopicArn: EDGE_TOPIC,
                    });
                },
                "test",
                EU,
            );
            const report = evaluate(rec.resources, { "net-cf-oac": { environment: "prod" } });
            for (const policy of [
                "net-waf-blocks",
                "net-waf-rate-limit",
                "log-waf",
                "net-cf-oac",
                "enc-cmk-misc",
                "enc-kms-rotation",
                "log-retention",
            ]) {
                expectClean(report, policy);
            }
        });

        it("is flagged without its logging, or with a header left in clear", async () => {
            const { rec } = await webAcl();
            const aclUrn = rec.one(T.acl, "waf").urn;
            const without = rec.resources.filter((r) => r.type !== T.logging);
            expect(violationsOf(evaluate(without), "log-waf", aclUrn)).to.have.length(1);
            const cookieInClear: PlannedResource[] = rec.resources.map((r) =>
                r.type === T.logging
                    ? { ...r, props: { ...r.props, redactedFields: [{ singleHeader: { name: "authorization" } }] } }
                    : r,
            );
            expect(
                violationsOf(evaluate(cookieInClear), "log-waf")
                    .map((v) => v.message)
                    .join("\n"),
            ).to.include("writes the cookie header(s) in clear");
        });
    });
});
