import { peek, UNKNOWN, Unknown } from "./lib/unknowns";
/**
 * Helpers shared by the rules for the types the next components bring (ECS services, load balancer
 * listeners, CloudFront, WAF, Cognito, Lambda). No side effects, like lib/.
 */

/** Type tokens these rules match, as strings (see lib/types.ts `T` for the older ones). */
export const N = {
    listenerRules: ["aws:lb/listenerRule:ListenerRule", "aws:alb/listenerRule:ListenerRule"],
    responseHeadersPolicy: "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy",
    webAcl: "aws:wafv2/webAcl:WebAcl",
    webAclRule: "aws:wafv2/webAclRule:WebAclRule",
    webAclRuleGroupAssociation: "aws:wafv2/webAclRuleGroupAssociation:WebAclRuleGroupAssociation",
    webAclLogging: "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
    userPool: "aws:cognito/userPool:UserPool",
    userPoolClient: "aws:cognito/userPoolClient:UserPoolClient",
    lambdaFunction: "aws:lambda/function:Function",
    functionUrl: "aws:lambda/functionUrl:FunctionUrl",
    lambdaPermission: "aws:lambda/permission:Permission",
    functionEventInvokeConfig: "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
} as const;

// ------------------------------------------------------------------------------------------------
// Small readers.
// ------------------------------------------------------------------------------------------------

/** Whether an object input has key `key` set (a present-but-empty block such as `block: {}` counts). */
export function hasBlock(obj: unknown, key: string): boolean | Unknown {
    const v = peek(obj, key);
    if (v === UNKNOWN) {
        return UNKNOWN;
    }
    return v !== undefined && v !== null;
}

/** A redirect URL is acceptable over HTTPS, or plain HTTP to the local machine (development sign-in). */
export function isSecureRedirectUrl(url: string): boolean {
    let parsed: URL;
    try {
        parsed = new URL(url);
    } catch {
        return false;
    }
    if (parsed.protocol === "https:") {
        return true;
    }
    const host = parsed.hostname.replace(/^\[|\]$/g, "");
    return parsed.protocol === "http:" && (host === "localhost" || host === "127.0.0.1" || host === "::1");
}
