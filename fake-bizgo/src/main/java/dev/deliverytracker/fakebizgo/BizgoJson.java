package dev.deliverytracker.fakebizgo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.UUID;

/** Bizgo's response envelope: {@code {common:{authCode,authResult,infobankTrId}, data:{code,result,data,ref}}}. */
final class BizgoJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private BizgoJson() {
    }

    /** A gateway failure: only {@code common}, no {@code data} (a wrong key gives A401 this way). */
    static ObjectNode gatewayFailure(String authCode, String authResult) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.set("common", common(authCode, authResult));
        return root;
    }

    /** The gateway passed; the service answers {@code code} with {@code data} (may be null). */
    static ObjectNode service(String code, String result, Object data) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.set("common", common("A000", "Success"));
        ObjectNode body = root.putObject("data");
        body.put("code", code);
        body.put("result", result);
        body.set("data", data == null ? JsonNodeFactory.instance.nullNode() : MAPPER.valueToTree(data));
        return root;
    }

    static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    private static ObjectNode common(String authCode, String authResult) {
        ObjectNode common = JsonNodeFactory.instance.objectNode();
        common.put("authCode", authCode);
        common.put("authResult", authResult);
        common.put("infobankTrId", UUID.randomUUID().toString().replace("-", "").substring(0, 20));
        return common;
    }
}
