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
     * Also give the edge's alarms a topic in us-east-1: CloudFront and CLOUDFRONT-scope WAF publish
     * their metrics only there, so their alarms live there, and a CloudWatch alarm notifies SNS
     * topics of its own region only. Creates a second topic in us-east-1 (AWS provider v7
     * per-resource `region`), encrypted with a key of its own there, with the same policy and the
     * same e-mail subscriptions (each address confirms it once more). Nothing is added when
     * `region` is us-east-1: the stack's topic serves the edge (`edgeAlarmTopicArn`).
     * @default false
     */
    edgeAlarms?: boolean;
    /**
     * Protect the topic keys and topics (`protect` and `retainOnDelete`): deleting a key breaks
     * every alarm notification. Set it in prod.
     * @default false
     */
    protect?: boolean;
}

/** The region of CloudFront's metrics, and so of the edge's alarms and their topic. */
export const EDGE_ALARM_REGION = "us-east-1";

/** One encrypted alarm topic with its policy and e-mail subscriptions. */
export interface AlarmTopicNodes {
    key: KmsKey;
    topic: sns.Topic;
    topicPolicy: sns.TopicPolicy;
    subscriptions: sns.TopicSubscription[];
}

/** The raw children of a {@link Monitoring}. An interface, so that the component package's schema can carry it. */
export interface MonitoringNodes extends AlarmTopicNodes {
    /** The us-east-1 topic, only with `edgeAlarms` in another region. */
    edge?: AlarmTopicNodes;
    alarms: cloudwatch.MetricAlarm[];
    dashboard?: cloudwatch.Dashboard;
}

/**
 * The stack's alarm plumbing: an SNS topic encrypted with a customer-managed KMS key that
 * rotates yearly, e-mail subscriptions, a dashboard, and the API the rest of the stack uses to
 * add alarms ({@link createAlarm} inside components, {@link Monitoring.addAlarm} in `index.ts`)
 * and dashboard widgets ({@link Monitoring.addWidgets}). Every alarm notifies the topic on ALARM
 * and on OK.
 *
 * CloudFront's metrics, and those of a CLOUDFRONT-scope WAF, exist only in us-east-1, so the edge's
 * alarms are created there, and CloudWatch lets an alarm notify only a topic of its own region.
 * With `edgeAlarms`, a stack outside us-east-1 gets a second topic there (own key, same
 * subscriptions); `edgeAlarmTopicArn` names the topic for those alarms in either case, and
 * {@link Monitoring.addAlarm} picks it for an alarm whose spec says `region: "us-east-1"`.
 *
 * ```ts
 * const monitoring = new Monitoring("monitoring", { region: "us-east-1", alarmEmails: ["ops@example.com"] });
 * new Database("db", { ..., alarmTopicArn: monitoring.alarmTopicArn });
 * monitoring.addWidgets(db.dashboardWidgets);
 * monitoring.createDashboard();
 * ```
 *
 * **Cost**: KMS key $1/month + SNS (e-mail: first 1,000 free) + alarms $0.10/alarm/month
 * + dashboard $3/month (the first three per account are free); `edgeAlarms` outside us-east-1 adds
 * a second key ($1/month).
 */
export class Monitoring extends pulumi.ComponentResource {
    /** ARN of the alarm topic: hand it to components as `alarmTopicArn`. */
    readonly alarmTopicArn: pulumi.Output<string>;
    /**
     * ARN of the topic in us-east-1 for the edge's alarms (a Cdn's, a CLOUDFRONT-scope WebAcl's):
     * `alarmTopicArn` itself when `region` is us-east-1, the second topic with `edgeAlarms`,
     * otherwise undefined.
     */
    readonly edgeAlarmTopicArn?: pulumi.Output<string>;
    /** Name of the dashboard, once {@link createDashboard} ran. */
    dashboardName?: pulumi.Output<string>;
    /** The raw children, for advanced use. */
    readonly nodes: MonitoringNodes;

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

        const main = this.createTopic(name, emails, deletionWindow, args.protect);
        const edge =
            args.edgeAlarms && args.region !== EDGE_ALARM_REGION
                ? this.createTopic(`${name}-edge`, emails, deletionWindow, args.protect, EDGE_ALARM_REGION)
                : undefined;

        this.alarmTopicArn = main.topic.arn;
        this.edgeAlarmTopicArn = args.region === EDGE_ALARM_REGION ? main.topic.arn : edge ? edge.topic.arn : undefined;
        this.nodes = { ...main, edge, alarms: [] };
        this.registerOutputs({ alarmTopicArn: this.alarmTopicArn, edgeAlarmTopicArn: this.edgeAlarmTopicArn });
    }

    /**
     * Adds one alarm that notifies the topic. `parent` defaults to this component; pass the
     * component the alarm watches to keep the resource tree readable.
     */
    addAlarm(name: string, spec: AlarmSpec, opts: { parent?: pulumi.Resource } = {}): cloudwatch.MetricAlarm {
        const alarm = createAlarm(name, spec, this.topicFor(name, spec.region), { parent: opts.parent ?? this });
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

    /**
     * The topic an alarm of `region` notifies: the stack's, or the edge topic for a us-east-1 alarm
     * in a stack elsewhere (CloudWatch refuses an SNS action of another region).
     */
    private topicFor(alarm: string, region: string | undefined): pulumi.Output<string> {
        if (region === undefined || region === this.region) {
            return this.alarmTopicArn;
        }
        if (region === EDGE_ALARM_REGION && this.edgeAlarmTopicArn) {
            return this.edgeAlarmTopicArn;
        }
        throw new Error(
            `Monitoring "${this.name}": alarm ${alarm} is in ${region}, where this component has no topic; ` +
                `an alarm notifies topics of its own region only (set edgeAlarms for ${EDGE_ALARM_REGION})`,
        );
    }

    /**
     * A topic encrypted with a customer-managed key of its own region. CloudWatch publishes alarm
     * notifications itself, so the key must grant it; without that grant, alarms on an encrypted
     * topic fail silently.
     */
    private createTopic(
        base: string,
        emails: string[],
        deletionWindowInDays: number,
        protect: boolean | undefined,
        region?: string,
    ): AlarmTopicNodes {
        const key = createKmsKey(
            `${base}-topic-key`,
            {
                description: `Encrypts the alarm topic of ${base}`,
                deletionWindowInDays,
                servicePrincipals: ["cloudwatch.amazonaws.com"],
                region,
                protect,
            },
            this,
        );
        const topic = new sns.Topic(
            `${base}-alarms`,
            { kmsMasterKeyId: key.key.arn, region },
            statefulOptions(this, protect),
        );
        const topicPolicy = this.createTopicPolicy(base, topic, region);
        const subscriptions = emails.map(
            (email) =>
                new sns.TopicSubscription(
                    `${base}-email-${physicalName(email, 48)}`,
                    { topic: topic.arn, protocol: "email", endpoint: email, region },
                    { parent: this },
                ),
        );
        return { key, topic, topicPolicy, subscriptions };
    }

    private createTopicPolicy(base: string, topic: sns.Topic, region: string | undefined): sns.TopicPolicy {
        const account = getCallerIdentityOutput({}, { parent: this }).accountId;
        return new sns.TopicPolicy(
            `${base}-alarms-policy`,
            {
                arn: topic.arn,
                region,
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
