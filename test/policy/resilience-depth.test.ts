import { evaluate, expectClean, expectDeferred, expectViolation, link, res, T, U } from "./fixtures";

const DATA = { "data-classification": "confidential" };
const PROD = { "res-s3-versioning-suspended": { environment: "prod" } };
const DEV = { "res-s3-versioning-suspended": { environment: "dev" } };

function versioned(status: unknown, tags: Record<string, string> = DATA) {
    const bucket = res(T.bucket, "uploads", { tags });
    const v = link(
        res(T.versioning, "uploads-versioning", { bucket: U, versioningConfiguration: { status } }),
        "bucket",
        bucket,
    );
    return [bucket, v];
}

function queues(sourceRetention: unknown, dlqRetention: unknown) {
    const dlq = res(T.queue, "jobs-dlq", dlqRetention === undefined ? {} : { messageRetentionSeconds: dlqRetention });
    const q = link(
        res(T.queue, "jobs", { messageRetentionSeconds: sourceRetention, redrivePolicy: U }),
        "redrivePolicy",
        dlq,
    );
    return { q, dlq, all: [dlq, q] };
}

describe("policy family: resilience, data-loss details", () => {
    describe("res-s3-versioning-suspended (prod, mandatory)", () => {
        it("passes an enabled data bucket, and any bucket in dev", () => {
            expectClean(evaluate(versioned("Enabled"), PROD), "res-s3-versioning-suspended");
            expectClean(evaluate(versioned("Suspended"), DEV), "res-s3-versioning-suspended");
            expectClean(evaluate(versioned("Suspended", {}), PROD), "res-s3-versioning-suspended");
        });

        it("flags a suspended data bucket in prod", () => {
            expectViolation(
                evaluate(versioned("Suspended"), PROD),
                "res-s3-versioning-suspended",
                "versioning Suspended",
            );
        });

        it("defers an unknown status", () => {
            expectDeferred(
                evaluate(versioned(U), PROD),
                "res-s3-versioning-suspended",
                "versioningConfiguration.status",
            );
        });
    });

    describe("res-sqs-dlq-retention", () => {
        it("passes a DLQ that keeps messages longer (our Queue's 14 days)", () => {
            expectClean(evaluate(queues(345600, 1209600).all), "res-sqs-dlq-retention");
        });

        it("flags a DLQ that keeps messages shorter, including SQS's 4-day default", () => {
            const shorter = queues(1209600, 86400);
            expectViolation(evaluate(shorter.all), "res-sqs-dlq-retention", "keeps messages 86400 s", shorter.dlq.urn);
            expectViolation(
                evaluate(queues(604800, undefined).all),
                "res-sqs-dlq-retention",
                "keeps messages 345600 s",
            );
        });

        it("defers an unknown retention", () => {
            expectDeferred(evaluate(queues(U, 1209600).all), "res-sqs-dlq-retention", "jobs.messageRetentionSeconds");
        });
    });

    describe("alarm-ok-actions (advisory)", () => {
        const alarm = (okActions: unknown) =>
            res(T.alarm, "a", { metricName: "CPUUtilization", namespace: "AWS/RDS", alarmActions: [U], okActions });

        it("passes an alarm that notifies on OK", () => {
            expectClean(evaluate([alarm([U])]), "alarm-ok-actions");
        });

        it("flags an alarm without okActions, as advisory", () => {
            const v = expectViolation(evaluate([alarm(undefined)]), "alarm-ok-actions", "no okActions");
            if (v.enforcementLevel !== "advisory") {
                throw new Error("alarm-ok-actions must be advisory");
            }
        });

        it("defers an unknown list", () => {
            expectDeferred(evaluate([alarm(U)]), "alarm-ok-actions", "a.okActions");
        });
    });
});
