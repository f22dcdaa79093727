import { expect } from "chai";
import { expectConfigProblem as expectProblem, resolvedConfig as resolved } from "./helpers";

describe("edge config", () => {
    describe("tier defaults", () => {
        it("dev runs without a zone: CDN on, internet-facing load balancer, no WAF, the api takes every request", () => {
            const { dns, edge } = resolved();
            expect(dns).to.equal(undefined);
            expect(edge).to.include({ cdn: true, albScheme: "internet-facing", waf: false, logRetentionDays: 30 });
            expect(edge.routes).to.deep.equal({
                api: { paths: [], hosts: [], stickySeconds: undefined, slowStartSeconds: undefined },
            });
        });

        it("prod derives the site, API and origin names from the zone and turns WAF on", () => {
            const { dns, edge } = resolved({}, "prod");
            expect(dns).to.deep.equal({
                zoneName: "example.com",
                createZone: false,
                siteName: "app.example.com",
                apiName: "api.example.com",
                originName: "origin.example.com",
            });
            expect(edge).to.include({ waf: true, accessLogRetentionDays: 365, logRetentionDays: 365 });
        });

        it("routes only the services named, in config order, with their paths and hosts", () => {
            const { edge } = resolved({
                services: { api: {}, admin: { port: 4010 } },
                edge: { routes: { admin: { hosts: ["admin.example.com"], stickySeconds: 86400 }, api: {} } },
            });
            expect(Object.keys(edge.routes)).to.deep.equal(["admin", "api"]);
            expect(edge.routes.admin).to.include({ stickySeconds: 86400 });
            expect(edge.routes.admin.hosts).to.deep.equal(["admin.example.com"]);
        });

        it("has no routes (and so no load balancer) when the stack runs no api and names none", () => {
            const { edge } = resolved({ services: { worker: {} } });
            expect(edge.routes).to.deep.equal({});
        });
    });

    describe("one line per mistake", () => {
        it("prod needs a zone", () => {
            expectProblem({ dns: {} }, "dns.zoneName", /is required in prod/, "prod");
        });

        it("refuses a zone that is not a DNS name, and names outside the zone", () => {
            expectProblem({ dns: { zoneName: "Example..com" } }, "dns.zoneName", /is not a DNS name/);
            expectProblem(
                { dns: { zoneName: "example.com", siteName: "app.example.org" } },
                "dns.siteName",
                /is not inside the zone example\.com/,
            );
            expectProblem(
                { dns: { zoneName: "example.com", originName: "app.example.com" } },
                "dns.originName",
                /is also a viewer name/,
            );
        });

        it("refuses names without a zone", () => {
            expectProblem({ dns: { siteName: "app.example.com" } }, "dns.siteName", /dns\.zoneName is not/);
        });

        it("refuses routes to services the stack does not run, and zero or two defaults", () => {
            expectProblem(
                { edge: { routes: { web: {} } } },
                "edge.routes.web",
                /is not a service of this stack; services: api/,
            );
            expectProblem({ edge: { routes: { api: { paths: ["/api/*"] } } } }, "edge.routes", /has no default route/);
            expectProblem(
                { services: { api: {}, admin: { port: 4010 } }, edge: { routes: { api: {}, admin: {} } } },
                "edge.routes",
                /has 2 default routes \(api, admin\)/,
            );
            expectProblem(
                { edge: { routes: { api: { paths: ["api/*"] } } } },
                "edge.routes.api.paths[0]",
                /is not a path pattern/,
            );
        });

        it("an internal load balancer needs the CDN; no CDN needs a zone", () => {
            expectProblem(
                { edge: { albScheme: "internal", cdn: false }, dns: { zoneName: "example.com" } },
                "edge.albScheme",
                /VPC origin/,
            );
            expectProblem({ edge: { cdn: false } }, "edge.cdn", /plain HTTP/);
            expectProblem(
                { edge: { cdn: false, priceClass: "PriceClass_All" }, dns: { zoneName: "example.com" } },
                "edge.priceClass",
                /is a CDN setting/,
            );
        });

        it("refuses WAF rate limits below WAF's minimum and unknown keys with a suggestion", () => {
            expectProblem({ edge: { rateLimitPer5Minutes: 5 } }, "edge.rateLimitPer5Minutes", />=10|at least 10|10/);
            expectProblem({ edge: { wafs: true } }, "edge.wafs", /did you mean waf\?/);
        });
    });
});
