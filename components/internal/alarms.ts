import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";

/**
 * How every Groundwork alarm and dashboard widget is declared: components call these for their
 * own alarms (parented to themselves), `Monitoring.addAlarm` for the stack's. One module, so every
 * alarm has actions, severity and naming alike, and no component imports a sibling for them.
 */

/** How urgent an alarm is. Critical pages someone now; warning is for the next working day. */
export type AlarmSeverity = "critical" | "warning";

/**
 * One CloudWatch alarm on a single metric. Dimensions are Inputs, so an alarm built from a
 * resource's outputs (`{ DBInstanceIdentifier: db.identifier }`) records the dependency the
 * policy pack uses to decide coverage at preview, when IDs are unknown.
 */
export interface AlarmSpec {
    /** What the alarm means and what to do about it; shown in the notification. */
    description: string;
    /** `critical` or `warning`; prefixed to the alarm name so notifications sort by urgency. */
    severity: AlarmSeverity;
    /** CloudWatch namespace, e.g. `AWS/RDS`. */
    namespace: string;
    /** Metric name, e.g. `CPUUtilization`. */
    metricName: string;
    /** Metric dimensions, e.g. `{ DBInstanceIdentifier: db.identifier }`. */
    dimensions: Record<string, pulumi.Input<string>>;
    /** Statistic: Average, Sum, Minimum, Maximum or SampleCount. */
    statistic: string;
    /** Period of one datapoint in seconds. @default 300 */
    period?: number;
    /** How many periods are evaluated. @default 1 */
    evaluationPeriods?: number;
    /** How many of those must breach. @default evaluationPeriods */
    datapointsToAlarm?: number;
    threshold: number;
    /** E.g. `GreaterThanThreshold`, `LessThanThreshold`. */
    comparisonOperator: string;
    /**
     * What missing data means. @default "notBreaching" — most of these metrics are only
     * published while there is traffic or trouble, and silence is not an incident.
     */
    treatMissingData?: string;
    /**
     * Region to create the alarm in, when the metric lives outside the provider's region
     * (CloudFront and CloudFront-scope WAF publish only in us-east-1, and an alarm evaluates only
     * metrics of its own region). Uses the AWS provider v7 per-resource `region`; the alarm's topic
     * must be in that region too (CloudWatch refuses an SNS action of another region).
     * @default the provider's region
     */
    region?: string;
}

/**
 * Where alarms notify, by severity: `critical` pages someone (and may reach a chat or paging
 * webhook), `warning` is read by e-mail. Both may be the same topic (a stack with one route).
 * Topics of the alarm's own region: CloudWatch refuses an SNS action of another region.
 */
export interface AlarmRoutes {
    /** ARN of the SNS topic critical alarms notify. */
    critical: pulumi.Input<string>;
    /** ARN of the SNS topic warning alarms notify. */
    warning: pulumi.Input<string>;
}

/**
 * The routes a component's alarms use, from its `alarmTopicArn` (warning, and the only route when
 * no critical one is given) and `criticalAlarmTopicArn`. One rule, so every component falls back alike.
 */
export function alarmRoutes(
    alarmTopicArn: pulumi.Input<string>,
    criticalAlarmTopicArn: pulumi.Input<string> | undefined,
): AlarmRoutes {
    return { critical: criticalAlarmTopicArn ?? alarmTopicArn, warning: alarmTopicArn };
}

/** The topic an alarm of `severity` notifies. */
export function routeFor(routes: AlarmRoutes, severity: AlarmSeverity): pulumi.Input<string> {
    return severity === "critical" ? routes.critical : routes.warning;
}

/** A CloudWatch dashboard widget (the JSON structure of a dashboard body), with Input values. */
export interface DashboardWidget {
    /** `metric`, `text` or `alarm`. A string, not a union: a component package's schema has no unions. */
    type: string;
    width?: number;
    height?: number;
    /** The widget's JSON properties (`any`: the component-package analyzer rejects `unknown`). */
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    properties: pulumi.Input<Record<string, any>>;
}

/** What every alarm shares, single-metric or math: description, evaluation, routing by severity. */
function alarmBehaviour(
    spec: Pick<
        AlarmSpec,
        | "severity"
        | "description"
        | "evaluationPeriods"
        | "datapointsToAlarm"
        | "threshold"
        | "comparisonOperator"
        | "treatMissingData"
    >,
    routes: AlarmRoutes,
): Omit<cloudwatch.MetricAlarmArgs, "comparisonOperator" | "evaluationPeriods"> & {
    comparisonOperator: string;
    evaluationPeriods: number;
} {
    const topicArn = routeFor(routes, spec.severity);
    return {
        alarmDescription: `[${spec.severity}] ${spec.description}`,
        evaluationPeriods: spec.evaluationPeriods ?? 1,
        datapointsToAlarm: spec.datapointsToAlarm ?? spec.evaluationPeriods ?? 1,
        threshold: spec.threshold,
        comparisonOperator: spec.comparisonOperator,
        treatMissingData: spec.treatMissingData ?? "notBreaching",
        actionsEnabled: true,
        alarmActions: [topicArn],
        okActions: [topicArn],
        tags: { severity: spec.severity },
    };
}

/**
 * Declares one metric alarm that notifies the route of its severity on ALARM and on OK.
 * Components call this for their own alarms (parented to themselves); `Monitoring.addAlarm` calls
 * it for the stack's. One function, so every alarm in Groundwork has actions, severity and naming alike.
 */
export function createAlarm(
    name: string,
    spec: AlarmSpec,
    routes: AlarmRoutes,
    opts: pulumi.CustomResourceOptions,
): cloudwatch.MetricAlarm {
    return new cloudwatch.MetricAlarm(
        name,
        {
            ...alarmBehaviour(spec, routes),
            namespace: spec.namespace,
            metricName: spec.metricName,
            dimensions: spec.dimensions,
            statistic: spec.statistic,
            period: spec.period ?? 300,
            region: spec.region,
        },
        opts,
    );
}

/** One metric a math alarm reads, named by `id` in its expression. */
export interface MathAlarmMetric {
    /** The expression's name for it: a lower-case letter first, then letters, digits, underscores. */
    id: string;
    namespace: string;
    metricName: string;
    dimensions: Record<string, pulumi.Input<string>>;
    /** Statistic: Sum, Average, Minimum, Maximum or SampleCount. */
    stat: string;
}

/**
 * One CloudWatch alarm on a metric-math expression over several metrics (an error rate: errors
 * over requests). Everything but the metric selection is as in {@link AlarmSpec}.
 */
export interface MathAlarmSpec extends Omit<
    AlarmSpec,
    "namespace" | "metricName" | "dimensions" | "statistic" | "region"
> {
    /** The metrics the expression reads. */
    metrics: MathAlarmMetric[];
    /** The metric-math expression the alarm compares with its threshold, e.g. `100 * e / r`. */
    expression: string;
    /** Label of the expression's time series, shown in the alarm's graph. */
    label: string;
}

/**
 * Declares a metric-math alarm: the metrics as `metricQueries` that return no data and the
 * expression as the one query with `returnData: true` (CloudWatch evaluates exactly one returned
 * series; an alarm with `metricQueries` takes no namespace, metric name or statistic of its own).
 * Routed and named like {@link createAlarm}.
 */
export function createMathAlarm(
    name: string,
    spec: MathAlarmSpec,
    routes: AlarmRoutes,
    opts: pulumi.CustomResourceOptions,
): cloudwatch.MetricAlarm {
    const period = spec.period ?? 300;
    return new cloudwatch.MetricAlarm(
        name,
        {
            ...alarmBehaviour(spec, routes),
            metricQueries: [
                ...spec.metrics.map((m) => ({
                    id: m.id,
                    returnData: false,
                    metric: {
                        namespace: m.namespace,
                        metricName: m.metricName,
                        dimensions: m.dimensions,
                        stat: m.stat,
                        period,
                    },
                })),
                { id: "e1", expression: spec.expression, label: spec.label, returnData: true },
            ],
        },
        opts,
    );
}

/**
 * Rendering options that may end a metric row (`{ id: "m1", visible: false }`), or a row of its own
 * holding a metric-math expression over the rows' ids (`{ expression: "100 * m2 / m1", label: "…",
 * id: "e1" }`), as CloudWatch's dashboard body structure describes metric widgets.
 */
export interface MetricRowOptions {
    id?: string;
    label?: string;
    visible?: boolean;
    expression?: string;
    stat?: string;
    yAxis?: "left" | "right";
}

/** One row of a metric widget: `[namespace, metric, dimension, value, ..., options?]`, or `[{ expression }]`. */
export type MetricRow = (pulumi.Input<string> | MetricRowOptions)[];

/**
 * A metric graph widget over one or more `[namespace, metric, dimension, value, ...]` rows. The
 * dashboard adds the region (see `Monitoring.createDashboard`), so components need not know it.
 */
export function metricWidget(
    title: string,
    metrics: MetricRow[],
    options: { stat?: string; period?: number; width?: number } = {},
): DashboardWidget {
    return {
        type: "metric",
        width: options.width ?? 12,
        height: 6,
        properties: pulumi.output({
            title,
            view: "timeSeries",
            stacked: false,
            stat: options.stat ?? "Average",
            period: options.period ?? 300,
            metrics,
        }),
    };
}
