import { expect } from "chai";
import * as fc from "fast-check";
import { MESSAGE_RETENTION_SECONDS, OLDEST_MESSAGE_AGE_ALARM_SECONDS, normalizeQueueArgs } from "../components/queue";
import { NAT_GATEWAY_STRATEGIES, normalizeVpcArgs } from "../components/vpc";
import { ConfigError, NAT_STRATEGIES, loadStackConfig } from "../stacks";
import { stackConfig } from "./helpers";

/** The config loader's problems for a dev stack with `raw` on top of the defaults. */
function configProblems(raw: Record<string, unknown>): string[] {
    try {
        loadStackConfig(stackConfig("dev", raw), "dev");
        return [];
    } catch (err) {
        if (!ConfigError.isConfigError(err)) {
            throw err;
        }
        return err.problems.map((p) => `${p.key}: ${p.message}`);
    }
}

function componentError(run: () => unknown): string | undefined {
    try {
        run();
        return undefined;
    } catch (err) {
        return (err as Error).message;
    }
}

/**
 * A rule that both the stack config and a component check is written once; these tests hold the
 * two sides to the same answer for every input.
 */
describe("rules shared by the stack config and the components", () => {
    it("the config's NAT strategies are the Vpc component's list", () => {
        expect(NAT_STRATEGIES).to.equal(NAT_GATEWAY_STRATEGIES);
        for (const strategy of NAT_GATEWAY_STRATEGIES) {
            expect(configProblems({ network: { natGateways: strategy } }), strategy).to.deep.equal([]);
            expect(
                componentError(() => normalizeVpcArgs("net", { natGateways: strategy })),
                strategy,
            ).to.equal(undefined);
        }
    });

    it("config and Queue accept and reject the same retention and oldest-message-age pairs (property)", () => {
        const seconds = fc.integer({ min: 0, max: MESSAGE_RETENTION_SECONDS.max + 100 });
        fc.assert(
            fc.property(seconds, seconds, (messageRetentionSeconds, oldestMessageAgeAlarmSeconds) => {
                const inConfig = configProblems({
                    queues: { jobs: { messageRetentionSeconds, oldestMessageAgeAlarmSeconds } },
                });
                const inComponent = componentError(() =>
                    normalizeQueueArgs("jobs", { messageRetentionSeconds, oldestMessageAgeAlarmSeconds }),
                );
                expect(inConfig.length > 0, `config ${JSON.stringify(inConfig)}`).to.equal(inComponent !== undefined);
            }),
            { numRuns: 300 },
        );
    });

    it("both sides word the age rule the same way", () => {
        const [inConfig] = configProblems({
            queues: { jobs: { messageRetentionSeconds: 600, oldestMessageAgeAlarmSeconds: 900 } },
        });
        const inComponent = componentError(() =>
            normalizeQueueArgs("jobs", { messageRetentionSeconds: 600, oldestMessageAgeAlarmSeconds: 900 }),
        );
        const rule = "not below messageRetentionSeconds (600): messages would expire before the alarm fires";
        expect(inConfig, "config").to.include(rule);
        expect(inComponent, "component").to.include(rule);
        expect(OLDEST_MESSAGE_AGE_ALARM_SECONDS.max).to.equal(MESSAGE_RETENTION_SECONDS.max);
    });
});
