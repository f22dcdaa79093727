import { expect } from "chai";
import { createAlarm, metricWidget } from "../../components/internal/alarms";
import { Monitoring } from "../../components/monitoring";
import { run } from "../helpers";

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
    });
});
