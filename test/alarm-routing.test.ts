import { expect } from "chai";
import { plan, PlanResult } from "../tools/plan";
import { PlannedResource } from "../tools/plan-types";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

/** The topic an alarm of this severity must notify, from the stack's outputs. */
function routeOf(result: PlanResult, severity: unknown): unknown {
    const outputs = result.document.outputs;
    return severity === "critical" ? outputs.criticalAlarmTopicArn : outputs.alarmTopicArn;
}

describe("alarm routing over the whole plan", () => {
    const results: Record<string, PlanResult> = {};
    before(async () => {
        results.dev = await plan("dev");
        results.prod = await plan("prod");
    });

    for (const stack of ["dev", "prod"]) {
        it(`${stack}: every alarm notifies exactly the topic of its severity, on ALARM and on OK`, () => {
            const result = results[stack];
            const alarms = result.document.resources.filter((r) => r.type === ALARM);
            const { criticalAlarmTopicArn, alarmTopicArn } = result.document.outputs;
            // Two distinct routes, and alarms of both severities: otherwise this test could not fail.
            expect(criticalAlarmTopicArn).to.be.a("string").and.not.equal(alarmTopicArn);
            const severities = new Set(alarms.map((a) => (a.props.tags as Record<string, string>)?.severity));
            expect([...severities].sort()).to.deep.equal(["critical", "warning"]);

            const wrong = alarms.filter((alarm: PlannedResource) => {
                const severity = (alarm.props.tags as Record<string, string> | undefined)?.severity;
                const topic = routeOf(result, severity);
                const actions = JSON.stringify([topic]);
                return (
                    JSON.stringify(alarm.props.alarmActions) !== actions ||
                    JSON.stringify(alarm.props.okActions) !== actions ||
                    !String(alarm.props.alarmDescription).startsWith(`[${severity}] `)
                );
            });
            expect(
                wrong.map((a) => `${a.name} (${(a.props.tags as Record<string, string>)?.severity})`),
                "alarms on the wrong route",
            ).to.deep.equal([]);
        });
    }

    it("prod pages on what takes the application down and e-mails the rest", () => {
        const severity = (name: string) =>
            (
                results.prod.document.resources.find((r) => r.type === ALARM && r.name === name)?.props.tags as
                    | Record<string, string>
                    | undefined
            )?.severity;
        expect(severity("web-error-rate")).to.equal("critical");
        expect(severity("jobs-dlq-not-empty")).to.equal("critical");
        expect(severity("jobs-oldest-message-age")).to.equal("warning");
    });
});
