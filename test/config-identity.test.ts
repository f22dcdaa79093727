import { expect } from "chai";
import { expectConfigProblem as expectProblem, resolvedConfig as resolved } from "./helpers";

describe("identity and mail config", () => {
    describe("tier defaults", () => {
        it("dev: a user pool with optional MFA, a prefix login domain, localhost callbacks, no mail without a zone", () => {
            const { auth, mail } = resolved();
            expect(mail).to.equal(undefined);
            expect(auth).to.include({
                mfa: "optional",
                threatProtection: "off",
                passwordMinLength: 12,
                selfSignUp: false,
                domainPrefix: "groundwork-dev",
            });
            expect(auth).not.to.have.property("customDomain");
            expect(auth!.callbackUrls).to.deep.equal(["http://localhost:3000/"]);
        });

        it("prod: required MFA, enforced threat protection, auth.<zone> login, the site as callback, mail on the zone", () => {
            const { auth, mail } = resolved({}, "prod");
            expect(auth).to.include({
                mfa: "required",
                threatProtection: "enforced",
                customDomain: "auth.example.com",
            });
            expect(auth!.callbackUrls).to.deep.equal(["https://app.example.com/"]);
            expect(mail).to.deep.equal({
                domain: "example.com",
                mailFromSubdomain: "mail",
                dmarcPolicy: "quarantine",
                dmarcReportAddress: undefined,
            });
        });

        it("dev with a zone sends mail from it; auth and mail can be turned off", () => {
            expect(resolved({ dns: { zoneName: "example.com" } }).mail?.domain).to.equal("example.com");
            const off = resolved({
                auth: { enabled: false },
                mail: { enabled: false },
                dns: { zoneName: "example.com" },
            });
            expect(off.auth).to.equal(undefined);
            expect(off.mail).to.equal(undefined);
        });

        it("prod may choose a prefix domain and reject as its DMARC policy (seed 002)", () => {
            const { auth, mail } = resolved(
                { auth: { domainPrefix: "acme-login" }, mail: { dmarcPolicy: "reject" } },
                "prod",
            );
            expect(auth).to.include({ domainPrefix: "acme-login" });
            expect(auth).not.to.have.property("customDomain");
            expect(mail?.dmarcPolicy).to.equal("reject");
        });
    });

    describe("one line per mistake", () => {
        it("a callback URL that is not https outside localhost", () => {
            expectProblem(
                { auth: { callbackUrls: ["http://app.example.com/"] } },
                "auth.callbackUrls[0]",
                /https|localhost/,
            );
        });

        it("a localhost callback in prod", () => {
            expectProblem(
                { auth: { callbackUrls: ["http://localhost:3000/"] } },
                "auth.callbackUrls[0]",
                /not https/,
                "prod",
            );
        });

        it("MFA off in prod, a password shorter than 8, an unknown MFA mode", () => {
            expectProblem({ auth: { mfa: "off" } }, "auth.mfa", /iam-cognito-mfa/, "prod");
            expectProblem({ auth: { passwordMinLength: 6 } }, "auth.passwordMinLength", /8/);
            expectProblem({ auth: { mfa: "sms" } }, "auth.mfa", /optional/);
        });

        it("a DMARC policy that is not none, quarantine or reject; mail on without a zone", () => {
            expectProblem({ mail: { dmarcPolicy: "block" } }, "mail.dmarcPolicy", /quarantine/);
            expectProblem({ mail: { enabled: true } }, "mail.enabled", /no dns\.zoneName/);
        });

        it("a custom login domain without a zone, or with a prefix too", () => {
            expectProblem({ auth: { customDomain: true } }, "auth.customDomain", /no dns\.zoneName/);
            expectProblem(
                { auth: { customDomain: true, domainPrefix: "x" }, dns: { zoneName: "example.com" } },
                "auth.domainPrefix",
                /one login domain/,
            );
            expectProblem({ auth: { domainPrefix: "-bad" } }, "auth.domainPrefix", /lower-case/);
        });

        it("auth settings with auth off", () => {
            expectProblem({ auth: { enabled: false, mfa: "required" } }, "auth.mfa", /auth\.enabled is false/);
        });
    });
});
