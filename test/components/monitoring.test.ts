import { expect } from "chai";
import { createAlarm, metricWidget } from "../../components/internal/alarms";
import { Cdn } from "../../components/cdn";
import { Monitoring } from "../../components/monitoring";
import { Recorded, promiseOf, run } from "../helpers";
import { evaluate, expectClean } from "../policy/fixtures";

const KEY = "aws:kms/key:Key";
const TOPIC = "aws:sns/topic:Topic";
const TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy";
const SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription";
const EMAILS = ["a@example.com", "b@example.com"];

/** Monitoring in `region` (the stack's region too); `build` adds more to the program. */
async function monitoringIn(
    region: string,
    edgeAlarms: boolean | undefined,
    build: (m: Monitoring) => void = () => undefined,
): Promise<{ rec: Recorded; monitoring: Monitoring }> {
    let monitoring: Monitoring | undefined;
    const rec = await run(
        () => {
            monitoring = new Monitoring("mon", { region, alarmEmails: EMAILS, edgeAlarms });
            build(monitoring);
        },
        "test",
        { "aws:region": region },
    );
    return { rec, monitoring: monitoring! };
}

const ALARM_SPEC = {
    description: "edge",
    severity: "critical" as const,
    namespace: "AWS/CloudFront",
    metricName: "5xxErrorRate",
    dimensions: { DistributionId: "E1", Region: "Global" },
    statistic: "Average",
    threshold: 5,
    comparisonOperator: "GreaterThanThreshold",
    region: "us-east-1",
};

describe("Monitoring", () => {
    it("encrypts the alarm topic with a rotating customer-managed key CloudWatch may use", async () => {
        const rec = await run(() => new Monitoring("mon", { region: "us-east-1", alarmEmails: ["a@example.com"] }));
        const [key] = rec.ofType("aws:kms/key:Key");
        const [topic] = rec.ofType("aws:sns/topic:Topic");
        expect(key.props.enableKeyRotation).to.equal(true);
        expect(key.props.deletionWindowInDays).to.equal(30);
        expect(topic.propertyDependencies.kmsMasterKeyId).to.deep.equal([key.urn]);
        const policy = JSON.parse(key.props.policy as string);
        const cloudwatch = policy.Statement.find(
            (s: { Principal: { Service?: string } }) => s.Principal.Service === "cloudwatch.amazonaws.com",
        );
        expect(cloudwatch.Action).to.include("kms:GenerateDataKey*");
        expect(cloudwatch.Condition.StringEquals["aws:SourceAccount"]).to.equal("123456789012");
    });

    it("subscribes each alarm e-mail to the topic", async () => {
        const rec = await run(
            () => new Monitoring("mon", { region: "us-east-1", alarmEmails: ["a@example.com", "b@example.com"] }),
        );
        const [topic] = rec.ofType("aws:sns/topic:Topic");
        const subscriptions = rec.ofType("aws:sns/topicSubscription:TopicSubscription");
        expect(subscriptions.map((s) => s.props.endpoint)).to.deep.equal(["a@example.com", "b@example.com"]);
        expect(
            subscriptions.every((s) => s.props.protocol === "email" && s.propertyDependencies.topic[0] === topic.urn),
        ).to.equal(true);
    });

    it("protects the key and topic when asked (prod)", async () => {
        const rec = await run(() => new Monitoring("mon", { region: "us-east-1", protect: true }));
        for (const type of ["aws:kms/key:Key", "aws:sns/topic:Topic"]) {
            expect(rec.ofType(type)[0].options).to.include({ protect: true, retainOnDelete: true });
        }
    });

    it("adds alarms that notify the topic on ALARM and OK, parented where asked", async () => {
        const rec = await run(() => {
            const monitoring = new Monitoring("mon", { region: "us-east-1" });
            monitoring.addAlarm("mon-custom", {
                description: "custom",
                severity: "warning",
                namespace: "AWS/SQS",
                metricName: "ApproximateAgeOfOldestMessage",
                dimensions: { QueueName: "jobs" },
                statistic: "Maximum",
                threshold: 600,
                comparisonOperator: "GreaterThanThreshold",
            });
        });
        const alarm = rec.named("mon-custom");
        const [topic] = rec.ofType("aws:sns/topic:Topic");
        const [component] = rec.ofType("groundwork:index:Monitoring");
        expect(alarm.parent).to.equal(component.urn);
        expect(alarm.props).to.include({
            alarmDescription: "[warning] custom",
            treatMissingData: "notBreaching",
            actionsEnabled: true,
        });
        expect(alarm.propertyDependencies.alarmActions).to.deep.equal([topic.urn]);
        expect(alarm.propertyDependencies.okActions).to.deep.equal([topic.urn]);
    });

    it("lays out the dashboard with every widget added, in the stack's region", async () => {
        const rec = await run(() => {
            const monitoring = new Monitoring("mon", { region: "eu-west-1", dashboardName: "groundwork-test" });
            monitoring.addWidgets([
                metricWidget("one", [["AWS/EC2", "CPUUtilization"]]),
                metricWidget("two", [["AWS/EC2", "NetworkIn"]]),
            ]);
            monitoring.createDashboard();
        });
        const [dashboard] = rec.ofType("aws:cloudwatch/dashboard:Dashboard");
        expect(dashboard.props.dashboardName).to.equal("groundwork-test");
        const body = JSON.parse(dashboard.props.dashboardBody as string);
        const metrics = body.widgets.filter((w: { type: string }) => w.type === "metric");
        expect(metrics.map((w: { properties: { title: string } }) => w.properties.title)).to.deep.equal(["one", "two"]);
        expect(metrics.every((w: { properties: { region: string } }) => w.properties.region === "eu-west-1")).to.equal(
            true,
        );
        expect(metrics.map((w: { x: number; y: number }) => [w.x, w.y])).to.deep.equal([
            [0, 2],
            [12, 2],
        ]);
    });

    it("refuses widgets after the dashboard exists, and a bad key deletion window", async () => {
        await run(() => {
            const monitoring = new Monitoring("mon", { region: "us-east-1" });
            monitoring.createDashboard();
            expect(() => monitoring.addWidgets([])).to.throw(/after createDashboard/);
        });
        expect(() => new Monitoring("bad", { region: "us-east-1", keyDeletionWindowInDays: 3 })).to.throw(
            /args\.keyDeletionWindowInDays is 3/,
        );
    });

    it("createAlarm defaults datapoints to the evaluation periods", async () => {
        const rec = await run(() => {
            createAlarm(
                "solo",
                {
                    description: "d",
                    severity: "critical",
                    namespace: "N",
                    metricName: "M",
                    dimensions: {},
                    statistic: "Sum",
                    evaluationPeriods: 3,
                    threshold: 1,
                    comparisonOperator: "GreaterThanThreshold",
                },
                "arn:aws:sns:us-east-1:123456789012:t",
                {},
            );
        });
        expect(rec.named("solo").props).to.include({ evaluationPeriods: 3, datapointsToAlarm: 3, period: 300 });
        expect(rec.named("solo").props, "the provider's region unless the spec names one").not.to.have.property(
            "region",
        );
    });

    describe("edge alarms", () => {
        it("adds an encrypted us-east-1 topic with the same subscriptions when the stack is elsewhere", async () => {
            const { rec, monitoring } = await monitoringIn("eu-west-1", true);
            const edgeKey = rec.one(KEY, "mon-edge-topic-key");
            const edgeTopic = rec.one(TOPIC, "mon-edge-alarms");
            expect(edgeKey.props).to.include({ region: "us-east-1", enableKeyRotation: true });
            expect(edgeTopic.props.region).to.equal("us-east-1");
            expect(edgeTopic.propertyDependencies.kmsMasterKeyId).to.deep.equal([edgeKey.urn]);
            const grant = JSON.parse(edgeKey.props.policy as string).Statement.find(
                (st: { Principal: { Service?: string } }) => st.Principal.Service === "cloudwatch.amazonaws.com",
            );
            expect(grant.Action).to.include("kms:GenerateDataKey*");

            const policy = rec.one(TOPIC_POLICY, "mon-edge-alarms-policy");
            expect(policy.props.region).to.equal("us-east-1");
            expect(policy.propertyDependencies.arn).to.deep.equal([edgeTopic.urn]);
            const sids = JSON.parse(policy.props.policy as string).Statement.map((st: { Sid: string }) => st.Sid);
            expect(sids).to.deep.equal(["CloudWatchAlarmsPublish", "DenyInsecureTransport"]);

            const edgeSubscriptions = rec
                .ofType(SUBSCRIPTION)
                .filter((sub) => sub.propertyDependencies.topic[0] === edgeTopic.urn);
            expect(edgeSubscriptions.map((sub) => sub.props.endpoint)).to.deep.equal(EMAILS);
            expect(edgeSubscriptions.every((sub) => sub.props.region === "us-east-1")).to.equal(true);

            expect(await promiseOf(monitoring.edgeAlarmTopicArn!)).to.match(/^arn:aws:sns:us-east-1:123456789012:/);
            expect(await promiseOf(monitoring.alarmTopicArn)).to.match(/^arn:aws:sns:eu-west-1:/);
            // The stack's own topic is untouched: no region of its own, the same logical names.
            expect(rec.one(TOPIC, "mon-alarms").props).not.to.have.property("region");
            expect(rec.one(KEY, "mon-topic-key").props).not.to.have.property("region");
        });

        it("uses the stack's topic for the edge in us-east-1, with or without edgeAlarms", async () => {
            for (const edgeAlarms of [true, undefined]) {
                const { rec, monitoring } = await monitoringIn("us-east-1", edgeAlarms);
                expect(rec.ofType(TOPIC), String(edgeAlarms)).to.have.length(1);
                expect(await promiseOf(monitoring.edgeAlarmTopicArn!)).to.equal(
                    await promiseOf(monitoring.alarmTopicArn),
                );
            }
        });

        it("has no edge topic elsewhere unless asked, and refuses a us-east-1 alarm then", async () => {
            const { rec, monitoring } = await monitoringIn("eu-west-1", undefined);
            expect(rec.ofType(TOPIC)).to.have.length(1);
            expect(monitoring.edgeAlarmTopicArn).to.equal(undefined);
            expect(() => monitoring.addAlarm("edge-alarm", ALARM_SPEC)).to.throw(
                /alarm edge-alarm is in us-east-1, where this component has no topic; .* \(set edgeAlarms for us-east-1\)/,
            );
        });

        it("sends an added us-east-1 alarm to the edge topic", async () => {
            const { rec } = await monitoringIn("eu-west-1", true, (m) => m.addAlarm("edge-alarm", ALARM_SPEC));
            const alarm = rec.named("edge-alarm");
            expect(alarm.props.region).to.equal("us-east-1");
            expect(alarm.propertyDependencies.alarmActions).to.deep.equal([rec.one(TOPIC, "mon-edge-alarms").urn]);
        });

        it("protects the edge key and topic with the rest", async () => {
            const rec = await run(
                () => new Monitoring("mon", { region: "eu-west-1", edgeAlarms: true, protect: true }),
                "test",
                { "aws:region": "eu-west-1" },
            );
            for (const r of [rec.one(KEY, "mon-edge-topic-key"), rec.one(TOPIC, "mon-edge-alarms")]) {
                expect(r.options, r.name).to.include({ protect: true, retainOnDelete: true });
            }
        });

        it("gives a Cdn's alarm a subscribed topic of its region, as the pack's alarm rules ask", async () => {
            const { rec } = await monitoringIn("eu-west-1", true, (m) => {
                new Cdn("cdn", {
                    originDomainName: "origin.example.com",
                    assetsBucketRegionalDomainName: "assets.s3.eu-west-1.amazonaws.com",
                    alarmTopicArn: m.edgeAlarmTopicArn!,
                });
            });
            const alarm = rec.one("aws:cloudwatch/metricAlarm:MetricAlarm", "cdn-5xx-error-rate");
            expect(alarm.propertyDependencies.alarmActions).to.deep.equal([rec.one(TOPIC, "mon-edge-alarms").urn]);
            const report = evaluate(rec.resources);
            for (const policy of [
                "alarm-actions",
                "alarm-ok-actions",
                "alarm-cloudfront",
                "enc-messaging",
                "enc-kms-rotation",
            ]) {
                expectClean(report, policy);
            }
        });
    });
});
