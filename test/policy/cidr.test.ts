import { expect } from "chai";
import * as fc from "fast-check";
import { cidrWithin, classifyCidr, isPublicCidr } from "../../policy/rules/lib/cidr";

describe("policy helper: CIDR classification", () => {
    it("private space is private, in IPv4 and IPv6", () => {
        for (const c of [
            "10.0.0.0/16",
            "172.16.0.0/12",
            "172.31.255.0/24",
            "192.168.1.5/32",
            "100.64.0.0/10",
            "127.0.0.1/32",
            "169.254.169.254/32",
            "fd00::/8",
            "fc00::/7",
            "fe80::/64",
            "::1/128",
            "::ffff:10.1.0.0/112",
            "10.0.0.1",
        ]) {
            expect(classifyCidr(c), c).to.equal("private");
        }
    });

    it("the world is public however it is spelled", () => {
        for (const c of [
            "0.0.0.0/0",
            "0.0.0.0/1",
            "128.0.0.0/1",
            "::/0",
            "::/1",
            "2000::/3",
            "8000::/1",
            "203.0.113.7/32",
            "8.8.8.8",
            "10.0.0.0/7",
            "172.0.0.0/8",
            "100.0.0.0/8",
            "fc00::/6",
            "::ffff:0.0.0.0/96",
            "2001:db8::/32",
        ]) {
            expect(classifyCidr(c), c).to.equal("public");
        }
    });

    it("unparseable text is invalid, never private", () => {
        for (const c of ["", "10.0.0.0/33", "banana", "10.0.0/8", "::/129"]) {
            expect(classifyCidr(c), c).to.equal("invalid");
            expect(isPublicCidr(c), c).to.equal(true);
        }
    });

    it("any range wider than a /8 is public (property)", () => {
        fc.assert(
            fc.property(fc.ipV4(), fc.integer({ min: 0, max: 7 }), (ip, len) => {
                expect(isPublicCidr(`${ip}/${len}`)).to.equal(true);
            }),
        );
    });

    it("every subrange of 10/8 is private (property)", () => {
        fc.assert(
            fc.property(
                fc.integer({ min: 0, max: 255 }),
                fc.integer({ min: 0, max: 255 }),
                fc.integer({ min: 8, max: 32 }),
                (b, c, len) => {
                    expect(classifyCidr(`10.${b}.${c}.0/${len}`)).to.equal("private");
                },
            ),
        );
    });

    it("cidrWithin compares ranges, not strings", () => {
        expect(cidrWithin("198.51.100.8/29", ["198.51.100.0/24"])).to.equal(true);
        expect(cidrWithin("198.51.100.0/23", ["198.51.100.0/24"])).to.equal(false);
        expect(cidrWithin("2001:db8::1", ["2001:db8::/32"])).to.equal(true);
        expect(cidrWithin("0.0.0.0/0", ["not a cidr"])).to.equal(false);
    });
});
