import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as sns from "@pulumi/aws/sns";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { ComponentArgError, denyInsecureTransport, physicalName, policyDocument, statefulOptions } from "./common";
import { KmsKey, createKmsKey } from "./kms-key";
import { AlarmSpec, DashboardWidget, createAlarm } from "./internal/alarms";

// Re-exported for programs that imported the alarm helpers from here before they moved.
export type { AlarmSeverity, AlarmSpec, DashboardWidget } from "./internal/alarms";
export { createAlarm, metricWidget } from "./internal/alarms";

export interface MonitoringArgs {
    /**
     * AWS region the dashboard's widgets read metrics from.
     * Required: dashboards name the region per widget.
     */
    region: string;
    /**
     * E-mail addresses subscribed to the alarm topic. AWS sends each a confirmation mail;
     * until it is confirmed no alarm reaches that address.
     * @default [] (no subscriptions: alarms fire into an unread topic, which the policy pack flags)
     */
    alarmEmails?: string[];
    /**
     * Dashboard name; unique per account and region, so derive it from project and stack.
     * @default the component name
     */
    dashboardName?: string;
    /**
     * Days KMS waits before deleting the topic key after it is scheduled for deletion (7-30).
     * A deleted key makes the topic unusable, so the longer window is the safe default.
     * @default 30
     */
    keyDeletionWindowInDays?: number;
    /**
     * Protect the topic key (`protect` and `retainOnDelete`): deleting it breaks every alarm
     * notification. Set it in prod.
     * @default false
     */
    protect?: boolean;
}

/**
 * The stack's alarm plumbing: an SNS topic encrypted with a customer-managed KMS key that
 * rotates yearly, e-mail subscriptions, a dashboard, and the API the rest of the stack uses to
 * add alarms ({@link createAlarm} inside components, {@link Monitoring.addAlarm} in `index.ts`)
 * and dashboard widgets ({@link Monitoring.addWidgets}). Every alarm notifies the topic on ALARM
 * and on OK.
 *
 * ```ts
 * const monitoring = new Monitoring("monitoring", { region: "us-east-1", alarmEmails: ["ops@example.com"] });
 * new Database("db", { ..., alarmTopicArn: monitoring.alarmTopicArn });
 * monitoring.addWidgets(db.dashboardWidgets);
 * monitoring.createDashboard();
 * ```
 *
 * **Cost**: KMS key $1/month + SNS (e-mail: first 1,000 free) + alarms $0.10/alarm/month
 * + dashboard $3/month (the first three per account are free).
 */
export class Monitoring extends pulumi.ComponentResource {
    /** ARN of the alarm topic: hand it to components as `alarmTopicArn`. */
    readonly alarmTopicArn: pulumi.Output<string>;
    /** Name of the dashboard, once {@link createDashboard} ran. */
    dashboardName?: pulumi.Output<string>;
    /** The raw children, for advanced use. */
    readonly nodes: {
        key: KmsKey;
        topic: sns.Topic;
        topicPolicy: sns.TopicPolicy;
        subscriptions: sns.TopicSubscription[];
        alarms: cloudwatch.MetricAlarm[];
        dashboard?: cloudwatch.Dashboard;
    };

    private readonly name: string;
    private readonly region: string;
    private readonly dashboardTitle: string;
    private readonly widgets: DashboardWidget[] = [];

    constructor(name: string, args: MonitoringArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("groundwork:index:Monitoring", name, {}, opts);
        this.name = name;
        this.region = args.region;
        this.dashboardTitle = args.dashboardName ?? name;
        const deletionWindow = args.keyDeletionWindowInDays ?? 30;
        if (!Number.isInteger(deletionWindow) || deletionWindow < 7 || deletionWindow > 30) {
            throw new ComponentArgError(
                "Monitoring",
                name,
                "keyDeletionWindowInDays",
                `is ${deletionWindow}; KMS allows 7 to 30`,
            );
        }
        const emails = args.alarmEmails ?? [];

        // CloudWatch publishes alarm notifications itself, so the key must grant it; without that
        // grant, alarms on an encrypted topic fail silently.
        const key = createKmsKey(
            `${name}-topic-key`,
            {
                description: `Encrypts the alarm topic of ${name}`,
                deletionWindowInDays: deletionWindow,
                servicePrincipals: ["cloudwatch.amazonaws.com"],
                protect: args.protect,
            },
            this,
        );
        const topic = new sns.Topic(
            `${name}-alarms`,
            { kmsMasterKeyId: key.key.arn },
            statefulOptions(this, args.protect),
        );
        const topicPolicy = this.createTopicPolicy(topic);
        const subscriptions = emails.map(
            (email) =>
                new sns.TopicSubscription(
                    `${name}-email-${physicalName(email, 48)}`,
                    { topic: topic.arn, protocol: "email", endpoint: email },
                    { parent: this },
                ),
        );

        this.alarmTopicArn = topic.arn;
        this.nodes = { key, topic, topicPolicy, subscriptions, alarms: [] };
        this.registerOutputs({ alarmTopicArn: this.alarmTopicArn });
    }

    /**
     * Adds one alarm that notifies the topic. `parent` defaults to this component; pass the
     * component the alarm watches to keep the resource tree readable.
     */
    addAlarm(name: string, spec: AlarmSpec, opts: { parent?: pulumi.Resource } = {}): cloudwatch.MetricAlarm {
        const alarm = createAlarm(name, spec, this.alarmTopicArn, { parent: opts.parent ?? this });
        this.nodes.alarms.push(alarm);
        return alarm;
    }

    /** Queues dashboard widgets; {@link createDashboard} lays them out in the order added. */
    addWidgets(widgets: DashboardWidget[]): void {
        if (this.nodes.dashboard) {
            throw new Error(`Monitoring "${this.name}": addWidgets after createDashboard; add every widget first`);
        }
        this.widgets.push(...widgets);
    }

    /** Declares the dashboard with every widget added so far. Call once, after all components exist. */
    createDashboard(): cloudwatch.Dashboard {
        if (this.nodes.dashboard) {
            return this.nodes.dashboard;
        }
        const header: DashboardWidget = {
            type: "text",
            width: 24,
            height: 2,
            properties: {
                markdown: `# ${this.dashboardTitle}\nAlarms notify the SNS topic of this stack; see the alarm list in CloudWatch.`,
            },
        };
        const widgets = [header, ...this.widgets];
        // Two 12-wide widgets per row; CloudWatch needs explicit coordinates for a stable layout.
        let x = 0;
        let y = 0;
        let rowHeight = 0;
        const placed = widgets.map((widget) => {
            const width = widget.width ?? 12;
            const height = widget.height ?? 6;
            if (x + width > 24) {
                x = 0;
                y += rowHeight;
                rowHeight = 0;
            }
            const properties =
                widget.type === "metric"
                    ? pulumi.output(widget.properties).apply((p) => ({ region: this.region, ...p }))
                    : widget.properties;
            const at = { ...widget, properties, x, y, width, height };
            x += width;
            rowHeight = Math.max(rowHeight, height);
            return at;
        });
        const dashboard = new cloudwatch.Dashboard(
            `${this.name}-dashboard`,
            {
                dashboardName: physicalName(this.dashboardTitle, 255),
                dashboardBody: pulumi.jsonStringify(pulumi.output({ widgets: placed })),
            },
            { parent: this },
        );
        this.nodes.dashboard = dashboard;
        this.dashboardName = dashboard.dashboardName;
        return dashboard;
    }

    private createTopicPolicy(topic: sns.Topic): sns.TopicPolicy {
        const account = getCallerIdentityOutput({}, { parent: this }).accountId;
        return new sns.TopicPolicy(
            `${this.name}-alarms-policy`,
            {
                arn: topic.arn,
                policy: policyDocument({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "CloudWatchAlarmsPublish",
                            Effect: "Allow",
                            Principal: { Service: "cloudwatch.amazonaws.com" },
                            Action: "sns:Publish",
                            Resource: topic.arn,
                            Condition: { StringEquals: { "aws:SourceAccount": account } },
                        },
                        denyInsecureTransport("sns:Publish", topic.arn),
                    ],
                }),
            },
            { parent: this },
        );
    }
}
