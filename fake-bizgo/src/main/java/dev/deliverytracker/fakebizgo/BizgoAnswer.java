package dev.deliverytracker.fakebizgo;

import com.fasterxml.jackson.databind.JsonNode;

/** One answer of the fake's HTTP API: the status and Bizgo's JSON body. */
record BizgoAnswer(int status, JsonNode body) {

    static BizgoAnswer unauthorized() {
        return new BizgoAnswer(401, BizgoJson.gatewayFailure("A401", "Unauthorized"));
    }

    static BizgoAnswer methodNotAllowed() {
        return new BizgoAnswer(405, BizgoJson.gatewayFailure("A405", "Method Not Allowed"));
    }
}
