import { expect } from "chai";
import { MAX_RETENTION_SECONDS, Queue, QueueArgs, normalizeQueueArgs } from "../../components/queue";
import { Recorded, promiseOf, run } from "../helpers";

const QUEUE = "aws:sqs/queue:Queue";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const TOPIC = "arn:aws:sns:us-east-1:123456789012:alarms";

async function queue(args: QueueArgs = {}): Promise<{ rec: Recorded; queue: Queue }> {
    let created: Queue | undefined;
    const rec = await run(() => {
        created = new Queue("jobs", args);
    });
    return { rec, queue: created! };
}

const mainOf = (rec: Recorded) => rec.one(QUEUE, "jobs");
const dlqOf = (rec: Recorded) => rec.one(QUEUE, "jobs-dlq");

describe("Queue", () => {
    it("redrives to a dead-letter queue after 5 receives; the DLQ keeps messages 14 days", async () => {
        const { rec, queue: created } = await queue();
        const main = mainOf(rec);
        const dlq = dlqOf(rec);
        expect(JSON.parse(main.props.redrivePolicy as string)).to.deep.equal({
            deadLetterTargetArn: await promiseOf(created.deadLetterQueueArn),
            maxReceiveCount: 5,
        });
        expect(main.propertyDependencies.redrivePolicy).to.deep.equal([dlq.urn]);
        expect(dlq.props.messageRetentionSeconds).to.equal(MAX_RETENTION_SECONDS);
        expect(dlq.props).not.to.have.property("redrivePolicy");
    });

    it("lets only its queue redrive into the DLQ", async () => {
        const { rec, queue: created } = await queue();
        const allow = rec.one("aws:sqs/redriveAllowPolicy:RedriveAllowPolicy", "jobs-dlq-allow");
        expect(allow.propertyDependencies.queueUrl).to.deep.equal([dlqOf(rec).urn]);
        expect(JSON.parse(allow.props.redriveAllowPolicy as string)).to.deep.equal({
            redrivePermission: "byQueue",
            sourceQueueArns: [await promiseOf(created.queueArn)],
        });
    });

    it("uses the given timeouts, long polling, and sensible defaults", async () => {
        const defaults = await queue();
        expect(mainOf(defaults.rec).props).to.include({
            visibilityTimeoutSeconds: 300,
            messageRetentionSeconds: 345600,
            receiveWaitTimeSeconds: 20,
            namePrefix: "groundwork-test-jobs-",
        });
        const events = await queue({ visibilityTimeoutSeconds: 60, maxReceiveCount: 3 });
        expect(mainOf(events.rec).props.visibilityTimeoutSeconds).to.equal(60);
        expect(JSON.parse(mainOf(events.rec).props.redrivePolicy as string).maxReceiveCount).to.equal(3);
    });

    it("encrypts both queues with SQS-managed keys, or with the given CMK", async () => {
        const sqsManaged = await queue();
        for (const q of [mainOf(sqsManaged.rec), dlqOf(sqsManaged.rec)]) {
            expect(q.props.sqsManagedSseEnabled, q.name).to.equal(true);
        }
        const cmk = "arn:aws:kms:us-east-1:123456789012:key/abc";
        const kms = await queue({ kmsKeyArn: cmk });
        for (const q of [mainOf(kms.rec), dlqOf(kms.rec)]) {
            expect(q.props).to.include({ kmsMasterKeyId: cmk, kmsDataKeyReusePeriodSeconds: 300 });
            expect(q.props).not.to.have.property("sqsManagedSseEnabled");
        }
    });

    it("denies non-TLS access to both queues", async () => {
        const { rec } = await queue();
        const policies = rec.ofType("aws:sqs/queuePolicy:QueuePolicy");
        expect(policies.map((p) => p.propertyDependencies.queueUrl[0])).to.have.members([
            mainOf(rec).urn,
            dlqOf(rec).urn,
        ]);
        for (const policy of policies) {
            const [statement] = JSON.parse(policy.props.policy as string).Statement;
            expect(statement).to.deep.include({
                Effect: "Deny",
                Principal: "*",
                Action: "sqs:*",
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            });
        }
    });

    it("alarms critically on any DLQ message and warns on old messages, each linked to its queue", async () => {
        const { rec } = await queue({ alarmTopicArn: TOPIC, oldestMessageAgeAlarmSeconds: 600 });
        const dlqAlarm = rec.one(ALARM, "jobs-dlq-not-empty");
        expect(dlqAlarm.props).to.include({
            metricName: "ApproximateNumberOfMessagesVisible",
            threshold: 0,
            comparisonOperator: "GreaterThanThreshold",
            namespace: "AWS/SQS",
        });
        expect(dlqAlarm.props.alarmDescription).to.match(/^\[critical\]/);
        expect(dlqAlarm.propertyDependencies.dimensions).to.deep.equal([dlqOf(rec).urn]);
        expect(Object.keys(dlqAlarm.props.dimensions as object)).to.deep.equal(["QueueName"]);
        const age = rec.one(ALARM, "jobs-oldest-message-age");
        expect(age.props).to.include({ metricName: "ApproximateAgeOfOldestMessage", threshold: 600 });
        expect(age.props.alarmDescription).to.match(/^\[warning\]/);
        expect(age.propertyDependencies.dimensions).to.deep.equal([mainOf(rec).urn]);
    });

    it("pages the critical topic for dead letters and e-mails the warning topic for old messages", async () => {
        const critical = "arn:aws:sns:us-east-1:123456789012:critical";
        const { rec } = await queue({ alarmTopicArn: TOPIC, criticalAlarmTopicArn: critical });
        expect(rec.one(ALARM, "jobs-dlq-not-empty").props.alarmActions).to.deep.equal([critical]);
        expect(rec.one(ALARM, "jobs-oldest-message-age").props.alarmActions).to.deep.equal([TOPIC]);
    });

    it("creates no alarms without a topic; protects both queues when asked", async () => {
        const { rec } = await queue({ protect: true });
        expect(rec.ofType(ALARM)).to.deep.equal([]);
        const queues = rec.ofType(QUEUE);
        expect(queues.map((q) => q.name)).to.have.members(["jobs", "jobs-dlq"]);
        for (const q of queues) {
            expect(q.options, q.name).to.include({ protect: true, retainOnDelete: true });
        }
    });

    it("changing timeouts, receive count or retention never replaces either queue", async () => {
        const fingerprint = (rec: Recorded) =>
            rec
                .ofType(QUEUE)
                .map((q) => ({ urn: q.urn, namePrefix: q.props.namePrefix, fifoQueue: q.props.fifoQueue }));
        const before = fingerprint((await queue()).rec);
        const after = fingerprint(
            (
                await queue({
                    visibilityTimeoutSeconds: 60,
                    maxReceiveCount: 10,
                    messageRetentionSeconds: 86400,
                    receiveWaitTimeSeconds: 0,
                })
            ).rec,
        );
        expect(after).to.deep.equal(before);
    });

    const bad: [string, QueueArgs][] = [
        ["visibilityTimeoutSeconds", { visibilityTimeoutSeconds: 50000 }],
        ["maxReceiveCount", { maxReceiveCount: 0 }],
        ["messageRetentionSeconds", { messageRetentionSeconds: 30 }],
        ["receiveWaitTimeSeconds", { receiveWaitTimeSeconds: 21 }],
        ["oldestMessageAgeAlarmSeconds", { messageRetentionSeconds: 600, oldestMessageAgeAlarmSeconds: 900 }],
        ["criticalAlarmTopicArn", { criticalAlarmTopicArn: "arn:aws:sns:us-east-1:123456789012:critical" }],
    ];
    for (const [arg, args] of bad) {
        it(`rejects ${JSON.stringify(args)}, naming ${arg}`, () => {
            expect(() => normalizeQueueArgs("jobs", args)).to.throw(new RegExp(`^Queue "jobs": args\\.${arg} `));
        });
    }
});
