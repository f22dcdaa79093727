import { expect } from "chai";
import { AUDIT_TIER_DEFAULTS } from "../stacks";
import { expectConfigProblem as expectProblem, resolvedConfig as resolved } from "./helpers";

describe("audit config", () => {
    describe("tier defaults", () => {
        it("prod creates the account's trail with a year of history; dev declares none", () => {
            expect(resolved({}, "prod").audit).to.deep.equal({
                trail: "create",
                glacierTransitionDays: 90,
                expirationDays: 365,
                logRetentionDays: 365,
                accessLogExpirationDays: 365,
            });
            expect(resolved().audit).to.include({ trail: "off", logRetentionDays: 30, accessLogExpirationDays: 30 });
            expect(AUDIT_TIER_DEFAULTS.dev.trail).to.equal("off");
        });

        it("a stack may rely on the account's existing trail, or a dev stack create its own with longer history", () => {
            expect(resolved({ audit: { trail: "existing" } }, "prod").audit.trail).to.equal("existing");
            expect(
                resolved({ audit: { trail: "create", glacierTransitionDays: 30, expirationDays: 2557 } }).audit,
            ).to.include({ trail: "create", glacierTransitionDays: 30, expirationDays: 2557 });
        });
    });

    describe("one line per mistake", () => {
        it("an unknown trail mode", () => {
            expectProblem({ audit: { trail: "on" } }, "audit.trail", /use one of: create, existing, off/);
        });

        it("an expiry before Glacier's 90-day minimum, with the rule the component uses", () => {
            expectProblem(
                { audit: { glacierTransitionDays: 90, expirationDays: 100 } },
                "audit.expirationDays",
                /100 must be at least glacierTransitionDays \+ 90 \(180\)/,
                "prod",
            );
        });

        it("trail settings without a trail of this stack", () => {
            expectProblem(
                { audit: { trail: "existing", expirationDays: 2557 } },
                "audit.expirationDays",
                /is set but audit.trail is "existing"/,
                "prod",
            );
            expectProblem({ audit: { logRetentionDays: 365 } }, "audit.logRetentionDays", /audit.trail is "off"/);
        });

        it("a retention CloudWatch Logs does not offer, an unknown key", () => {
            expectProblem({ audit: { logRetentionDays: 100 } }, "audit.logRetentionDays", /retention period/, "prod");
            expectProblem({ audit: { retention: 30 } }, "audit.retention", /not a known config key/);
        });
    });
});
