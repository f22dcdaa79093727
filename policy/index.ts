/**
 * Groundwork's CrossGuard policy pack: `pulumi preview --policy-pack policy`.
 * The rules live in ./rules (side-effect free); constructing the pack starts the analyzer server.
 */
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, policies } from "./rules";

new PolicyPack(PACK_NAME, { policies });
