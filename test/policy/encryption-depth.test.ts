import type { PlannedResource } from "../../tools/plan-types";
import { doc, evaluate, expectClean, expectDeferred, expectViolation, goodDbProps, link, res, T, U } from "./fixtures";

const ALIAS = "aws:kms/alias:Alias";

function bucketWith(sse: "kms" | "s3", policy?: unknown): PlannedResource[] {
    const bucket = res(T.bucket, "logs", { bucket: "logs" });
    const enc = link(
        res(T.sse, "logs-sse", {
            bucket: U,
            rules: [
                {
                    applyServerSideEncryptionByDefault:
                        sse === "kms"
                            ? { sseAlgorithm: "aws:kms", kmsMasterKeyId: "arn:aws:kms:us-east-1:123456789012:key/x" }
                            : { sseAlgorithm: "AES256" },
                },
            ],
        }),
        "bucket",
        bucket,
    );
    const out = [bucket, enc];
    if (policy !== undefined) {
        out.push(link(res(T.bucketPolicy, "logs-policy", { bucket: U, policy }), "bucket", bucket));
    }
    return out;
}

const elbWrite = (
    principal: unknown,
    resource: unknown = "arn:aws:s3:::logs/alb/AWSLogs/123456789012/*",
    action: unknown = "s3:PutObject",
) => ({ Effect: "Allow", Principal: principal, Action: action, Resource: resource });

describe("policy family: encryption, customer-managed means ours", () => {
    describe("enc-cmk-managed", () => {
        it("passes keys and aliases declared in this stack", () => {
            const key = res(T.kms, "key", { enableKeyRotation: true });
            const alias = link(res(ALIAS, "alias", { name: "alias/app", targetKeyId: U }), "targetKeyId", key);
            const db = link(
                res(
                    T.rds,
                    "db",
                    goodDbProps({
                        kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/k",
                        performanceInsightsKmsKeyId: U,
                    }),
                ),
                "kmsKeyId",
                key,
            );
            link(db, "performanceInsightsKmsKeyId", key);
            const topic = link(res(T.topic, "t", { kmsMasterKeyId: "alias/app" }), "kmsMasterKeyId", alias);
            expectClean(evaluate([key, alias, db, topic]), "enc-cmk-managed");
        });

        it("flags AWS-managed aliases, foreign literal keys and SSE-KMS without a key", () => {
            const topic = res(T.topic, "t", { kmsMasterKeyId: "alias/aws/sns" });
            const secret = res(T.secret, "s", {
                kmsKeyId: "arn:aws:kms:us-east-1:123456789012:alias/aws/secretsmanager",
            });
            const queue = res(T.queue, "q", { kmsMasterKeyId: "arn:aws:kms:us-east-1:999988887777:key/abc" });
            const bucket = res(T.bucket, "b", {});
            const sse = link(
                res(T.sse, "b-sse", {
                    bucket: U,
                    rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }],
                }),
                "bucket",
                bucket,
            );
            const report = evaluate([topic, secret, queue, bucket, sse]);
            expectViolation(report, "enc-cmk-managed", "AWS-managed alias/aws/sns", topic.urn);
            expectViolation(report, "enc-cmk-managed", "alias/aws/secretsmanager", secret.urn);
            expectViolation(report, "enc-cmk-managed", "which this stack doesn't manage", queue.urn);
            expectViolation(report, "enc-cmk-managed", "AWS-managed aws/s3 key", sse.urn);
        });

        it("accepts an allow-listed key ARN", () => {
            const arn = "arn:aws:kms:us-east-1:999988887777:key/abc";
            expectClean(
                evaluate([res(T.queue, "q", { kmsMasterKeyId: arn })], {
                    "enc-cmk-managed": { allowedKeyArns: [arn] },
                }),
                "enc-cmk-managed",
            );
        });

        it("defers an unknown key that is not linked to a key of this stack", () => {
            expectDeferred(
                evaluate([res(T.logGroup, "lg", { kmsKeyId: U, retentionInDays: 365 })]),
                "enc-cmk-managed",
                "lg.kmsKeyId",
            );
        });
    });

    describe("enc-s3-sse: the ELB access-log bucket exception", () => {
        it("passes SSE-S3 on a bucket whose policy grants ELB log delivery write-only to AWSLogs/", () => {
            expectClean(
                evaluate(
                    bucketWith("s3", doc(elbWrite({ Service: "logdelivery.elasticloadbalancing.amazonaws.com" }))),
                ),
                "enc-s3-sse",
            );
            expectClean(
                evaluate(bucketWith("s3", doc(elbWrite({ AWS: "arn:aws:iam::127311923021:root" })))),
                "enc-s3-sse",
            );
        });

        it("flags SSE-S3 elsewhere, whatever the bucket is called, and an ELB grant that is not write-only", () => {
            expectViolation(evaluate(bucketWith("s3")), "enc-s3-sse", "encrypted with SSE-S3");
            const readToo = doc(
                elbWrite({ Service: "logdelivery.elasticloadbalancing.amazonaws.com" }, "arn:aws:s3:::logs/AWSLogs/*", [
                    "s3:PutObject",
                    "s3:GetObject",
                ]),
            );
            expectViolation(evaluate(bucketWith("s3", readToo)), "enc-s3-sse", "encrypted with SSE-S3");
            const wholeBucket = doc(
                elbWrite({ Service: "logdelivery.elasticloadbalancing.amazonaws.com" }, "arn:aws:s3:::logs/*"),
            );
            expectViolation(evaluate(bucketWith("s3", wholeBucket)), "enc-s3-sse", "encrypted with SSE-S3");
        });

        it("passes SSE-S3 on an S3 server access log target whose policy grants logging.s3 write-only to objects", () => {
            const s3Logs = {
                Effect: "Allow",
                Principal: { Service: "logging.s3.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: "arn:aws:s3:::logs/*",
                Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
            };
            expectClean(evaluate(bucketWith("s3", doc(s3Logs))), "enc-s3-sse");
        });

        it("flags SSE-S3 on a bucket whose S3 log delivery grant also reads, or covers the bucket itself", () => {
            const base = { Effect: "Allow", Principal: { Service: "logging.s3.amazonaws.com" } };
            const reads = doc({ ...base, Action: ["s3:PutObject", "s3:GetObject"], Resource: "arn:aws:s3:::logs/*" });
            expectViolation(evaluate(bucketWith("s3", reads)), "enc-s3-sse", "encrypted with SSE-S3");
            const bucketToo = doc({
                ...base,
                Action: "s3:PutObject",
                Resource: ["arn:aws:s3:::logs", "arn:aws:s3:::logs/*"],
            });
            expectViolation(evaluate(bucketWith("s3", bucketToo)), "enc-s3-sse", "encrypted with SSE-S3");
        });

        it("defers when the bucket policy is unknown", () => {
            expectDeferred(evaluate(bucketWith("s3", U)), "enc-s3-sse", "is it an ELB or S3 access-log bucket?");
        });
    });
});
