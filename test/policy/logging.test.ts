import { expect } from "chai";
import { doc, evaluate, expectClean, expectDeferred, expectViolation, goodDbProps, link, res, T, U } from "./fixtures";

describe("policy family: logging", () => {
    describe("log-alb", () => {
        it("passes access logs to a bucket (aws:lb and aws:alb tokens)", () => {
            const report = evaluate([
                res(T.lb, "a", { accessLogs: { bucket: U, enabled: true } }),
                res(T.alb, "b", { accessLogs: { bucket: "logs", enabled: "true" } }),
            ]);
            expectClean(report, "log-alb");
        });

        it("flags logs off or missing", () => {
            const off = res(T.alb, "off", { accessLogs: { bucket: "logs", enabled: false } });
            const none = res(T.lb, "none", {});
            const report = evaluate([off, none]);
            expectViolation(report, "log-alb", "accessLogs is", off.urn);
            expectViolation(report, "log-alb", "accessLogs is unset", none.urn);
        });

        it("defers an unknown enabled flag", () => {
            expectDeferred(
                evaluate([res(T.lb, "a", { accessLogs: { bucket: U, enabled: U } })]),
                "log-alb",
                "accessLogs.enabled",
            );
        });
    });

    describe("log-cloudfront", () => {
        it("passes legacy S3 logging and CloudWatch log delivery v2", () => {
            const legacy = res(T.cdn, "legacy", { loggingConfig: { bucket: U } });
            const v2 = res(T.cdn, "v2", {});
            const source = link(
                res(T.logDeliverySource, "v2-src", { name: "cdn-logs", logType: "ACCESS_LOGS", resourceArn: U }),
                "resourceArn",
                v2,
            );
            const delivery = link(
                res(T.logDelivery, "v2-delivery", { deliverySourceName: U, deliveryDestinationArn: U }),
                "deliverySourceName",
                source,
            );
            expectClean(evaluate([legacy, v2, source, delivery]), "log-cloudfront");
        });

        it("flags a distribution without logging, and a delivery source without a delivery", () => {
            const none = res(T.cdn, "none", {});
            const half = res(T.cdn, "half", {});
            const source = link(
                res(T.logDeliverySource, "half-src", { name: "half", logType: "ACCESS_LOGS", resourceArn: U }),
                "resourceArn",
                half,
            );
            const report = evaluate([none, half, source]);
            expectViolation(report, "log-cloudfront", "has no access logging", none.urn);
            expectViolation(report, "log-cloudfront", "has no access logging", half.urn);
        });

        it("defers an unknown log type", () => {
            const d = res(T.cdn, "d", {});
            const source = link(
                res(T.logDeliverySource, "src", { name: "s", logType: U, resourceArn: U }),
                "resourceArn",
                d,
            );
            const delivery = link(
                res(T.logDelivery, "dl", { deliverySourceName: U, deliveryDestinationArn: U }),
                "deliverySourceName",
                source,
            );
            expectDeferred(evaluate([d, source, delivery]), "log-cloudfront", "d log delivery");
        });
    });

    describe("log-vpc-flow", () => {
        it("passes a VPC with a linked flow log", () => {
            const vpc = res(T.vpc, "vpc", {});
            const fl = link(res(T.flowLog, "fl", { vpcId: U, trafficType: "ALL", logDestination: U }), "vpcId", vpc);
            expectClean(evaluate([vpc, fl]), "log-vpc-flow");
        });

        it("flags a VPC without one", () => {
            const vpc = res(T.vpc, "vpc", {});
            expectViolation(evaluate([vpc]), "log-vpc-flow", "has no flow log", vpc.urn);
        });

        it("decides with an unknown VPC id: only the Output edge counts", () => {
            const vpc = res(T.vpc, "vpc", {});
            const unlinked = res(T.flowLog, "fl", { vpcId: U, trafficType: "ALL" });
            expectViolation(evaluate([vpc, unlinked]), "log-vpc-flow", "has no flow log");
        });
    });

    describe("log-ecs-containers", () => {
        const logged = { name: "web", image: "x", logConfiguration: { logDriver: "awslogs", options: {} } };

        it("passes logged containers and a cluster with Container Insights", () => {
            const report = evaluate([
                res(T.taskDef, "td", { family: "a", containerDefinitions: JSON.stringify([logged]) }),
                res(T.cluster, "c", { settings: [{ name: "containerInsights", value: "enabled" }] }),
            ]);
            expectClean(report, "log-ecs-containers");
        });

        it("flags a container without logConfiguration and a cluster without Container Insights", () => {
            const td = res(T.taskDef, "td", {
                family: "a",
                containerDefinitions: JSON.stringify([logged, { name: "sidecar", image: "y" }]),
            });
            const cluster = res(T.cluster, "c", { settings: [{ name: "containerInsights", value: "disabled" }] });
            const report = evaluate([td, cluster]);
            expectViolation(report, "log-ecs-containers", "container sidecar has no logConfiguration", td.urn);
            expectViolation(report, "log-ecs-containers", "Container Insights is off", cluster.urn);
        });

        it("defers unknown container definitions", () => {
            expectDeferred(
                evaluate([res(T.taskDef, "td", { family: "a", containerDefinitions: U })]),
                "log-ecs-containers",
                "containerDefinitions",
            );
        });
    });

    describe("log-s3-access", () => {
        const bucket = () => res(T.bucket, "uploads", { bucket: "uploads" });
        const policyOn = (b: ReturnType<typeof bucket>, policy: unknown) =>
            link(res(T.bucketPolicy, "uploads-policy", { bucket: U, policy }), "bucket", b);
        const logWrite = (service: string) => ({
            Effect: "Allow",
            Principal: { Service: service },
            Action: "s3:PutObject",
            Resource: "arn:aws:s3:::uploads/*",
        });

        it("passes a bucket with a linked BucketLogging (or the deprecated inline block) naming a target", () => {
            const b = bucket();
            const logging = link(res(T.bucketLogging, "uploads-logging", { bucket: U, targetBucket: U }), "bucket", b);
            expectClean(evaluate([b, logging]), "log-s3-access");
            const byName = res(T.bucketLogging, "by-name", { bucket: "uploads", targetBucket: "access-logs" });
            expectClean(evaluate([bucket(), byName]), "log-s3-access");
            const inline = res(T.bucket, "old", { logging: { targetBucket: "access-logs" } });
            expectClean(evaluate([inline]), "log-s3-access");
        });

        it("exempts only the access-log target (S3 server access logs write to it)", () => {
            const b = bucket();
            expectClean(evaluate([b, policyOn(b, doc(logWrite("logging.s3.amazonaws.com")))]), "log-s3-access");
        });

        it("holds other log destinations to it: CloudTrail, ELB and vended-log buckets log their access too", () => {
            for (const service of [
                "logdelivery.elasticloadbalancing.amazonaws.com",
                "cloudtrail.amazonaws.com",
                "delivery.logs.amazonaws.com",
            ]) {
                const b = bucket();
                expectViolation(
                    evaluate([b, policyOn(b, doc(logWrite(service)))]),
                    "log-s3-access",
                    "has no server access logging",
                    b.urn,
                );
            }
        });

        it("flags a bucket without access logging, also one whose policy grants a service other than log delivery", () => {
            const plain = bucket();
            expectViolation(evaluate([plain]), "log-s3-access", "has no server access logging", plain.urn);
            const b = bucket();
            const cdnRead = doc({ ...logWrite("cloudfront.amazonaws.com"), Action: "s3:GetObject" });
            expectViolation(evaluate([b, policyOn(b, cdnRead)]), "log-s3-access", "has no server access logging");
            // A log delivery principal allowed only to read the bucket ACL does not make it a destination.
            const aclOnly = doc({ ...logWrite("cloudtrail.amazonaws.com"), Action: "s3:GetBucketAcl" });
            const c = bucket();
            expectViolation(evaluate([c, policyOn(c, aclOnly)]), "log-s3-access", "has no server access logging");
        });

        it("defers a bucket whose policy is unknown, or whose logging target is unknown", () => {
            const b = bucket();
            expectDeferred(evaluate([b, policyOn(b, U)]), "log-s3-access", "uploads server access logging");
            const c = res(T.bucket, "old", { logging: U });
            expectDeferred(evaluate([c]), "log-s3-access", "old server access logging");
        });
    });

    describe("log-rds", () => {
        it("passes PostgreSQL log exports with enhanced monitoring", () => {
            expectClean(evaluate([res(T.rds, "db", goodDbProps())]), "log-rds");
        });

        it("flags missing exports and monitoring", () => {
            const report = evaluate([
                res(T.rds, "db", goodDbProps({ enabledCloudwatchLogsExports: ["upgrade"], monitoringInterval: 0 })),
            ]);
            expectViolation(report, "log-rds", "lacks postgresql");
            expectViolation(report, "log-rds", "monitoringInterval is 0");
        });

        it("defers unknown exports", () => {
            expectDeferred(
                evaluate([res(T.rds, "db", goodDbProps({ enabledCloudwatchLogsExports: U }))]),
                "log-rds",
                "enabledCloudwatchLogsExports",
            );
        });
    });

    describe("log-retention (advisory)", () => {
        it("passes a year in prod and 30 days in dev", () => {
            expectClean(
                evaluate([res(T.logGroup, "l", { retentionInDays: 365 })], {
                    "log-retention": { environment: "prod" },
                }),
                "log-retention",
            );
            expectClean(
                evaluate([res(T.logGroup, "l", { retentionInDays: 30 })], { "log-retention": { environment: "dev" } }),
                "log-retention",
            );
        });

        it("flags short and unset retention", () => {
            const short = res(T.logGroup, "short", { retentionInDays: 30 });
            const unset = res(T.logGroup, "unset", {});
            const report = evaluate([short, unset], { "log-retention": { environment: "prod" } });
            const v = expectViolation(report, "log-retention", "at least 365 days in prod", short.urn);
            expect(v.enforcementLevel).to.equal("advisory");
            expectViolation(report, "log-retention", "not set", unset.urn);
        });

        it("defers an unknown retention", () => {
            expectDeferred(
                evaluate([res(T.logGroup, "l", { retentionInDays: U })]),
                "log-retention",
                "retentionInDays",
            );
        });
    });
});
