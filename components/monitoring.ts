import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as sns from "@pulumi/aws/sns";
import * as budgets from "@pulumi/aws/budgets";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { ComponentArgError, denyInsecureTransport, physicalName, policyDocument, statefulOptions } from "./common";
import { KmsKey, createKmsKey } from "./kms-key";
import {
    AlarmRoutes,
    AlarmSpec,
    DashboardWidget,
    MathAlarmSpec,
    createAlarm,
    createMathAlarm,
} from "./internal/alarms";

// Re-exported for programs that imported the alarm helpers from here before they moved.
export type { AlarmRoutes, AlarmSeverity, AlarmSpec, DashboardWidget, MathAlarmSpec } from "./internal/alarms";
export { createAlarm, createMathAlarm, metricWidget } from "./internal/alarms";

export interface MonitoringArgs {
    /**
     * AWS region the dashboard's widgets read metrics from.
     * Required: dashboards name the region per widget.
     */
    region: string;
    /**
     * E-mail addresses subscribed to both routes, warning and critical: someone must read a page
     * even where no pager is wired. AWS sends each a confirmation mail per topic; until it is
     * confirmed no alarm reaches that address.
     * @default [] (no subscriptions: alarms fire into an unread topic, which the policy pack flags)
     */
    alarmEmails?: string[];
    /**
     * E-mail addresses subscribed to the critical route only: a pager's e-mail integration, the
     * on-call rota's list.
     * @default []
     */
    criticalAlarmEmails?: string[];
    /**
     * HTTPS endpoint subscribed to the critical route (a chat or paging webhook), SNS protocol
     * `https`. Such URLs often carry a token: pass a secret (`pulumi.secret`). SNS POSTs a
     * SubscriptionConfirmation the endpoint must confirm (by visiting its SubscribeURL) before
     * any alarm is delivered; until then the subscription stays pending.
     * @default undefined (no webhook)
     */
    criticalWebhookUrl?: pulumi.Input<string>;
    /**
     * Whether the webhook confirms the SNS subscription itself (PagerDuty's SNS integration
     * does): the provider then waits for the confirmation and fails the update when none comes.
     * @default false (the subscription is left pending until someone confirms it)
     */
    criticalWebhookAutoConfirms?: boolean;
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
     * Also give the edge's alarms topics in us-east-1: CloudFront and CLOUDFRONT-scope WAF publish
     * their metrics only there, so their alarms live there, and a CloudWatch alarm notifies SNS
     * topics of its own region only. Creates a warning and a critical topic in us-east-1 (AWS
     * provider v7 per-resource `region`), encrypted with a key of their own there, with the same
     * policies and subscriptions (each address confirms once more). Nothing is added when `region`
     * is us-east-1: the stack's topics serve the edge (`edgeAlarmTopicArn`, `edgeCriticalAlarmTopicArn`).
     * @default false
     */
    edgeAlarms?: boolean;
    /**
     * A monthly AWS Budget alerting the warning route at a forecast of `forecastPercent` and at
     * 100 % of actual cost.
     * @default undefined (no budget)
     */
    budget?: MonitoringBudgetArgs;
    /**
     * Protect the topic keys and topics (`protect` and `retainOnDelete`): deleting a key breaks
     * every alarm notification. Set it in prod.
     * @default false
     */
    protect?: boolean;
}

/** A monthly cost budget: its amount and the cost it counts. */
export interface MonitoringBudgetArgs {
    /** Monthly limit in USD; a whole or decimal number above zero. */
    monthlyUsd: number;
    /**
     * Counts only the cost of resources carrying all these tags (`{ project: "groundwork", stack:
     * "prod" }`). Each key must be activated as a cost allocation tag in the Billing console, and
     * only costs from after the activation carry it; untaggable charges (data transfer, some
     * support fees) fall outside any tag filter.
     * @default {} (the whole account's cost)
     */
    costTags?: Record<string, string>;
    /** Percent of the amount a forecast must reach to alert. @default 80 */
    forecastPercent?: number;
    /**
     * Budget name, unique per account.
     * @default the component name
     */
    name?: string;
}

/** The region of CloudFront's metrics, and so of the edge's alarms and their topic. */
export const EDGE_ALARM_REGION = "us-east-1";

/** One encrypted alarm topic with its policy and subscriptions. */
export interface AlarmTopicNodes {
    topic: sns.Topic;
    topicPolicy: sns.TopicPolicy;
    subscriptions: sns.TopicSubscription[];
}

/** The two routes of one region: one key encrypts both topics. */
export interface AlarmRouteNodes {
    key: KmsKey;
    warning: AlarmTopicNodes;
    critical: AlarmTopicNodes;
}

/** The raw children of a {@link Monitoring}. An interface, so that the component package's schema can carry it. */
export interface MonitoringNodes extends AlarmRouteNodes {
    /** The us-east-1 routes, only with `edgeAlarms` in another region. */
    edge?: AlarmRouteNodes;
    alarms: cloudwatch.MetricAlarm[];
    dashboard?: cloudwatch.Dashboard;
    budget?: budgets.Budget;
}

/** What a route's topic is subscribed to. */
interface RouteSubscribers {
    emails: string[];
    webhookUrl?: pulumi.Input<string>;
    webhookAutoConfirms: boolean;
}

/** A budget with its defaults applied. */
interface NormalizedBudget {
    monthlyUsd: number;
    costTags: Record<string, string>;
    forecastPercent: number;
    name: string;
}

/** An alarm the alarm-status widgets list, with its region when it is not the dashboard's. */
interface StatusAlarm {
    arn: pulumi.Input<string>;
    region?: string;
}

// Named interfaces, not type literals or intersections: the component-package analyzer reads every
// property of the class, private ones included, and refuses anonymous and intersection types.
interface NormalizedMonitoringArgs {
    region: string;
    dashboardTitle: string;
    deletionWindowInDays: number;
    warning: RouteSubscribers;
    critical: RouteSubscribers;
    edge: boolean;
    budget?: NormalizedBudget;
    protect: boolean;
}

/**
 * The stack's alarm plumbing: two alarm routes, each an SNS topic (encrypted with one
 * customer-managed KMS key that rotates yearly): **critical** pages someone (e-mails, an optional
 * HTTPS webhook to chat or a pager), **warning** is read by e-mail the next working day. Also the
 * dashboard, an optional monthly budget alerting the warning route, and the API the rest of the
 * stack uses to add alarms ({@link createAlarm} inside components with {@link AlarmRoutes},
 * {@link Monitoring.addAlarm} in `index.ts`) and dashboard widgets ({@link Monitoring.addWidgets}).
 * Every alarm notifies the route of its severity on ALARM and on OK.
 *
 * CloudFront's metrics, and those of a CLOUDFRONT-scope WAF, exist only in us-east-1, so the edge's
 * alarms are created there, and CloudWatch lets an alarm notify only a topic of its own region.
 * With `edgeAlarms`, a stack outside us-east-1 gets both routes there too (own key, same
 * subscriptions); `edgeAlarmTopicArn`/`edgeCriticalAlarmTopicArn` name them in either case, and
 * {@link Monitoring.addAlarm} picks them for an alarm whose spec says `region: "us-east-1"`.
 *
 * ```ts
 * const monitoring = new Monitoring("monitoring", {
 *     region: "us-east-1",
 *     alarmEmails: ["ops@example.com"],
 *     criticalWebhookUrl: config.requireSecret("pagerWebhook"),
 *     budget: { monthlyUsd: 450, costTags: { stack: "prod" } },
 * });
 * new Database("db", { ..., alarmTopicArn: monitoring.alarmTopicArn, criticalAlarmTopicArn: monitoring.criticalAlarmTopicArn });
 * monitoring.addWidgets(db.dashboardWidgets);
 * monitoring.createDashboard();
 * ```
 *
 * **Cost**: KMS key $1/month + SNS (standard topics free; first 1,000 e-mails and 100,000 HTTPS
 * deliveries a month free) + alarms $0.10/alarm/month + dashboard $3/month (the first three per
 * account are free) + budget (the first two per account are free, then $0.02/day with alerts);
 * `edgeAlarms` outside us-east-1 adds a second key ($1/month).
 */
export class Monitoring extends pulumi.ComponentResource {
    /** ARN of the warning route's topic (`warningAlarmTopicArn`): hand it to components as `alarmTopicArn`. */
    readonly alarmTopicArn: pulumi.Output<string>;
    /** ARN of the warning route's topic (e-mail, the next working day). */
    readonly warningAlarmTopicArn: pulumi.Output<string>;
    /** ARN of the critical route's topic (pages): hand it to components as `criticalAlarmTopicArn`. */
    readonly criticalAlarmTopicArn: pulumi.Output<string>;
    /**
     * ARN of the warning topic in us-east-1 for the edge's alarms (a Cdn's, a CLOUDFRONT-scope
     * WebAcl's): `alarmTopicArn` itself when `region` is us-east-1, the edge topic with
     * `edgeAlarms`, otherwise undefined.
     */
    readonly edgeAlarmTopicArn?: pulumi.Output<string>;
    /** The critical route's topic in us-east-1, as `edgeAlarmTopicArn` is the warning one's. */
    readonly edgeCriticalAlarmTopicArn?: pulumi.Output<string>;
    /** Name of the budget, when one is configured. */
    readonly budgetName?: pulumi.Output<string>;
    /** Name of the dashboard, once {@link createDashboard} ran. */
    dashboardName?: pulumi.Output<string>;
    /** The raw children, for advanced use. */
    readonly nodes: MonitoringNodes;

    private readonly name: string;
    private readonly cfg: NormalizedMonitoringArgs;
    private readonly widgets: DashboardWidget[] = [];
    private readonly statusAlarms: StatusAlarm[] = [];

    constructor(name: string, args: MonitoringArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("groundwork:index:Monitoring", name, {}, opts);
        this.name = name;
        const cfg = normalizeMonitoringArgs(name, args);
        this.cfg = cfg;

        const main = this.createRoutes(name, cfg.budget !== undefined);
        const edge = cfg.edge ? this.createRoutes(`${name}-edge`, false, EDGE_ALARM_REGION) : undefined;
        const budget = cfg.budget ? this.createBudget(cfg.budget, main) : undefined;

        this.warningAlarmTopicArn = main.warning.topic.arn;
        this.alarmTopicArn = this.warningAlarmTopicArn;
        this.criticalAlarmTopicArn = main.critical.topic.arn;
        const edgeRoutes = args.region === EDGE_ALARM_REGION ? main : edge;
        this.edgeAlarmTopicArn = edgeRoutes?.warning.topic.arn;
        this.edgeCriticalAlarmTopicArn = edgeRoutes?.critical.topic.arn;
        this.budgetName = budget?.name;
        this.nodes = { ...main, edge, alarms: [], budget };
        this.registerOutputs({
            alarmTopicArn: this.alarmTopicArn,
            warningAlarmTopicArn: this.warningAlarmTopicArn,
            criticalAlarmTopicArn: this.criticalAlarmTopicArn,
            edgeAlarmTopicArn: this.edgeAlarmTopicArn,
            edgeCriticalAlarmTopicArn: this.edgeCriticalAlarmTopicArn,
            budgetName: this.budgetName,
        });
    }

    /** The routes for components' alarms in the stack's region. */
    get alarmRoutes(): AlarmRoutes {
        return { critical: this.criticalAlarmTopicArn, warning: this.warningAlarmTopicArn };
    }

    /**
     * Adds one alarm that notifies the route of its severity. `parent` defaults to this component;
     * pass the component the alarm watches to keep the resource tree readable.
     */
    addAlarm(name: string, spec: AlarmSpec, opts: { parent?: pulumi.Resource } = {}): cloudwatch.MetricAlarm {
        const alarm = createAlarm(name, spec, this.routesFor(name, spec.region), { parent: opts.parent ?? this });
        this.nodes.alarms.push(alarm);
        this.statusAlarms.push({ arn: alarm.arn, region: spec.region });
        return alarm;
    }

    /** Adds one metric-math alarm (in the stack's region) that notifies the route of its severity. */
    addMathAlarm(name: string, spec: MathAlarmSpec, opts: { parent?: pulumi.Resource } = {}): cloudwatch.MetricAlarm {
        const alarm = createMathAlarm(name, spec, this.alarmRoutes, { parent: opts.parent ?? this });
        this.nodes.alarms.push(alarm);
        this.statusAlarms.push({ arn: alarm.arn });
        return alarm;
    }

    /** Queues dashboard widgets; {@link createDashboard} lays them out in the order added. */
    addWidgets(widgets: DashboardWidget[]): void {
        if (this.nodes.dashboard) {
            throw new Error(`Monitoring "${this.name}": addWidgets after createDashboard; add every widget first`);
        }
        this.widgets.push(...widgets);
    }

    /** Queues a full-width text header (a tier's name), then that tier's widgets. */
    addSection(title: string, widgets: DashboardWidget[]): void {
        if (widgets.length === 0) {
            return;
        }
        this.addWidgets([{ type: "text", width: 24, height: 1, properties: { markdown: `## ${title}` } }, ...widgets]);
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
                markdown: `# ${this.cfg.dashboardTitle}\nCritical alarms page the on-call route; warnings go to e-mail. The alarm-status widget below lists every alarm of this stack.`,
            },
        };
        const widgets = [header, ...this.alarmStatusWidgets(), ...this.widgets];
        const dashboard = new cloudwatch.Dashboard(
            `${this.name}-dashboard`,
            {
                dashboardName: physicalName(this.cfg.dashboardTitle, 255),
                dashboardBody: dashboardBody(widgets, this.cfg.region),
            },
            { parent: this },
        );
        this.nodes.dashboard = dashboard;
        this.dashboardName = dashboard.dashboardName;
        return dashboard;
    }

    /**
     * Alarm-status widgets (type `alarm`) over the alarms passed to {@link addAlarmStatus} and those
     * {@link addAlarm} created, one per region (the edge's alarms live in us-east-1), at most 100
     * alarms each (CloudWatch's limit per alarm widget).
     */
    private alarmStatusWidgets(): DashboardWidget[] {
        const byRegion = new Map<string, pulumi.Input<string>[]>();
        for (const { arn, region } of this.statusAlarms) {
            const r = region ?? this.cfg.region;
            byRegion.set(r, [...(byRegion.get(r) ?? []), arn]);
        }
        const widgets: DashboardWidget[] = [];
        for (const [region, arns] of byRegion) {
            for (let i = 0; i < arns.length; i += MAX_ALARMS_PER_WIDGET) {
                const part = arns.slice(i, i + MAX_ALARMS_PER_WIDGET);
                widgets.push({
                    type: "alarm",
                    width: 24,
                    height: Math.min(12, 2 + Math.ceil(part.length / 4)),
                    // The alarm widget's properties are alarms, title, sortBy and states; the
                    // ARNs carry each alarm's region.
                    properties: pulumi.output({
                        title: region === this.cfg.region ? "Alarm status" : `Alarm status (${region})`,
                        alarms: part,
                        sortBy: "stateUpdatedTimestamp",
                    }),
                });
            }
        }
        return widgets;
    }

    /**
     * Lists alarms in the dashboard's alarm-status widget (every alarm `addAlarm` creates is listed
     * already). Pass each component's `nodes.alarms`.
     */
    addAlarmStatus(alarms: cloudwatch.MetricAlarm[], region?: string): void {
        if (this.nodes.dashboard) {
            throw new Error(`Monitoring "${this.name}": addAlarmStatus after createDashboard; add every alarm first`);
        }
        this.statusAlarms.push(...alarms.map((alarm) => ({ arn: alarm.arn, region })));
    }

    /**
     * The routes an alarm of `region` notifies: the stack's, or the edge routes for a us-east-1
     * alarm in a stack elsewhere (CloudWatch refuses an SNS action of another region).
     */
    private routesFor(alarm: string, region: string | undefined): AlarmRoutes {
        if (region === undefined || region === this.cfg.region) {
            return this.alarmRoutes;
        }
        if (region === EDGE_ALARM_REGION && this.edgeAlarmTopicArn && this.edgeCriticalAlarmTopicArn) {
            return { critical: this.edgeCriticalAlarmTopicArn, warning: this.edgeAlarmTopicArn };
        }
        throw new Error(
            `Monitoring "${this.name}": alarm ${alarm} is in ${region}, where this component has no topic; ` +
                `an alarm notifies topics of its own region only (set edgeAlarms for ${EDGE_ALARM_REGION})`,
        );
    }

    /**
     * Both routes of one region, encrypted with one customer-managed key there. CloudWatch
     * publishes alarm notifications itself, so the key must grant it; without that grant, alarms on
     * an encrypted topic fail silently. The same holds for AWS Budgets with a budget.
     * The warning topic keeps the names a single-topic stack had (`<name>-alarms`), so an
     * existing stack's topic and subscriptions are kept.
     */
    private createRoutes(base: string, budget: boolean, region?: string): AlarmRouteNodes {
        const key = createKmsKey(
            `${base}-topic-key`,
            {
                description: `Encrypts the alarm topics of ${base}`,
                deletionWindowInDays: this.cfg.deletionWindowInDays,
                servicePrincipals: ["cloudwatch.amazonaws.com", ...(budget ? [BUDGETS_PRINCIPAL] : [])],
                region,
                protect: this.cfg.protect,
            },
            this,
        );
        const warning = this.createTopic(`${base}-alarms`, key, this.cfg.warning, budget, region);
        const critical = this.createTopic(`${base}-critical-alarms`, key, this.cfg.critical, false, region);
        return { key, warning, critical };
    }

    private createTopic(
        topicName: string,
        key: KmsKey,
        subscribers: RouteSubscribers,
        budget: boolean,
        region: string | undefined,
    ): AlarmTopicNodes {
        const topic = new sns.Topic(
            topicName,
            { kmsMasterKeyId: key.key.arn, region },
            statefulOptions(this, this.cfg.protect),
        );
        const topicPolicy = this.createTopicPolicy(topicName, topic, budget, region);
        // Subscriptions keep their historical names (`<base>-email-…` for the warning topic).
        const base = topicName.replace(/-alarms$/, "");
        const subscriptions = subscribers.emails.map(
            (email) =>
                new sns.TopicSubscription(
                    `${base}-email-${physicalName(email, 48)}`,
                    { topic: topic.arn, protocol: "email", endpoint: email, region },
                    { parent: this },
                ),
        );
        if (subscribers.webhookUrl !== undefined) {
            subscriptions.push(
                new sns.TopicSubscription(
                    `${base}-webhook`,
                    {
                        topic: topic.arn,
                        protocol: "https",
                        // Kept secret in state and in every output: the URL may carry a token.
                        endpoint: pulumi.secret(subscribers.webhookUrl),
                        // With true the provider waits (confirmationTimeoutInMinutes, default 1) for the
                        // endpoint to confirm and fails otherwise (terraform-provider-aws#12838); with
                        // false the subscription is created pending, as e-mail ones are.
                        endpointAutoConfirms: subscribers.webhookAutoConfirms,
                        region,
                    },
                    { parent: this },
                ),
            );
        }
        return { topic, topicPolicy, subscriptions };
    }

    private createTopicPolicy(
        topicName: string,
        topic: sns.Topic,
        budget: boolean,
        region: string | undefined,
    ): sns.TopicPolicy {
        const account = getCallerIdentityOutput({}, { parent: this }).accountId;
        const publish = (sid: string, service: string) => ({
            Sid: sid,
            Effect: "Allow",
            Principal: { Service: service },
            Action: "sns:Publish",
            Resource: topic.arn,
            Condition: { StringEquals: { "aws:SourceAccount": account } },
        });
        return new sns.TopicPolicy(
            `${topicName}-policy`,
            {
                arn: topic.arn,
                region,
                policy: policyDocument({
                    Version: "2012-10-17",
                    Statement: [
                        publish("CloudWatchAlarmsPublish", "cloudwatch.amazonaws.com"),
                        // Budgets notifies an SNS topic only when the topic policy lets it publish
                        // (docs.aws.amazon.com/cost-management/latest/userguide/budgets-sns-policy.html).
                        // That page adds an ArnLike aws:SourceArn on arn:aws:budgets::<account>:*;
                        // users report budgets failing to publish with it (cds-snc/notification-terraform#2042),
                        // so the account condition alone guards against a confused deputy.
                        ...(budget ? [publish("BudgetsPublish", BUDGETS_PRINCIPAL)] : []),
                        denyInsecureTransport("sns:Publish", topic.arn),
                    ],
                }),
            },
            { parent: this },
        );
    }

    /**
     * A monthly COST budget alerting the warning route at the forecast threshold and at 100 % of
     * actual cost. It waits for the topic policy and key: Budgets checks that it may publish when
     * the notification is created.
     */
    private createBudget(budget: NormalizedBudget, routes: AlarmRouteNodes): budgets.Budget {
        const tags = Object.entries(budget.costTags).map(([key, value]) => ({ tags: { key, values: [value] } }));
        const notify = (notificationType: string, threshold: number) => ({
            notificationType,
            comparisonOperator: "GREATER_THAN",
            threshold,
            thresholdType: "PERCENTAGE",
            subscriberSnsTopicArns: [routes.warning.topic.arn],
        });
        return new budgets.Budget(
            `${this.name}-budget`,
            {
                name: budget.name,
                budgetType: "COST",
                timeUnit: "MONTHLY",
                limitAmount: budget.monthlyUsd.toFixed(2),
                limitUnit: "USD",
                // An And needs two expressions or more; one tag stands alone. A filter expression
                // requires `metrics` and the other way round (provider docs, aws.budgets.Budget):
                // unblended cost is what the bill shows.
                filterExpression: tags.length === 0 ? undefined : tags.length === 1 ? tags[0] : { ands: tags },
                metrics: tags.length === 0 ? undefined : "UnblendedCost",
                notifications: [notify("FORECASTED", budget.forecastPercent), notify("ACTUAL", 100)],
            },
            { parent: this, dependsOn: [routes.warning.topicPolicy, routes.key.key] },
        );
    }
}

/** The service principal of AWS Budgets' notifications. */
const BUDGETS_PRINCIPAL = "budgets.amazonaws.com";

/** CloudWatch shows at most 100 alarms in one alarm widget. */
const MAX_ALARMS_PER_WIDGET = 100;

/** Applies defaults and validates; every error names the argument. Exported for tests. */
export function normalizeMonitoringArgs(name: string, args: MonitoringArgs): NormalizedMonitoringArgs {
    const deletionWindowInDays = args.keyDeletionWindowInDays ?? 30;
    if (!Number.isInteger(deletionWindowInDays) || deletionWindowInDays < 7 || deletionWindowInDays > 30) {
        throw new ComponentArgError(
            "Monitoring",
            name,
            "keyDeletionWindowInDays",
            `is ${deletionWindowInDays}; KMS allows 7 to 30`,
        );
    }
    const webhook = args.criticalWebhookUrl;
    if (typeof webhook === "string" && !webhook.startsWith("https://")) {
        // Not echoed: the URL may carry a token.
        throw new ComponentArgError("Monitoring", name, "criticalWebhookUrl", "is not an https:// URL");
    }
    const alarmEmails = args.alarmEmails ?? [];
    const budget = args.budget;
    if (budget) {
        if (!(Number.isFinite(budget.monthlyUsd) && budget.monthlyUsd > 0)) {
            throw new ComponentArgError(
                "Monitoring",
                name,
                "budget.monthlyUsd",
                `is ${budget.monthlyUsd}; expected an amount above 0`,
            );
        }
        const forecast = budget.forecastPercent ?? 80;
        if (!(forecast > 0 && forecast <= 1000)) {
            throw new ComponentArgError(
                "Monitoring",
                name,
                "budget.forecastPercent",
                `is ${forecast}; expected a percent above 0, at most 1000`,
            );
        }
    }
    return {
        region: args.region,
        dashboardTitle: args.dashboardName ?? name,
        deletionWindowInDays,
        warning: { emails: alarmEmails, webhookAutoConfirms: false },
        critical: {
            emails: [...new Set([...alarmEmails, ...(args.criticalAlarmEmails ?? [])])],
            webhookUrl: webhook,
            webhookAutoConfirms: args.criticalWebhookAutoConfirms ?? false,
        },
        edge: (args.edgeAlarms ?? false) && args.region !== EDGE_ALARM_REGION,
        budget: budget
            ? {
                  monthlyUsd: budget.monthlyUsd,
                  costTags: budget.costTags ?? {},
                  forecastPercent: budget.forecastPercent ?? 80,
                  name: budget.name ?? name,
              }
            : undefined,
        protect: args.protect ?? false,
    };
}

/**
 * The dashboard body (CloudWatch's "Dashboard Body Structure and Syntax"): `{ widgets: [...] }`,
 * each with explicit x/y/width/height on a 24-column grid. Metric widgets without a region get
 * the stack's (a widget must name one). Exported for tests.
 */
export function dashboardBody(widgets: DashboardWidget[], region: string): pulumi.Output<string> {
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
                ? pulumi.output(widget.properties).apply((p) => ({ region, ...p }))
                : widget.properties;
        const at = { type: widget.type, x, y, width, height, properties };
        x += width;
        rowHeight = Math.max(rowHeight, height);
        return at;
    });
    return pulumi.jsonStringify(pulumi.output({ widgets: placed }));
}
