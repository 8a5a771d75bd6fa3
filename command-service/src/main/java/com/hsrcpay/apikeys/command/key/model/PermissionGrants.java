package com.hsrcpay.apikeys.command.key.model;

import com.hsrcpay.apikeys.shared.key.Permissions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The grant rule: a credential gives a key only what it holds itself, and no key ever holds the reserved
 * {@value Permissions#RESERVED_NAMESPACE} namespace. So no chain of keys minting keys ends stronger than its first
 * creator. Create, patch and rotate all come here; the one place for the rule.
 */
final class PermissionGrants {

    private PermissionGrants() {
    }

    /**
     * Refuses (403 {@code permission_not_grantable}, the offending entries in {@code details.not_grantable}) unless
     * {@code grantor} holds every action of every resource of {@code granted}, wildcards read literally.
     */
    static void requireGrantable(Permissions granted, Permissions grantor) {
        Map<String, List<String>> refused = new LinkedHashMap<>();
        granted.grants().forEach((resource, actions) -> {
            for (String action : actions) {
                if (Permissions.isReserved(resource) || grantor == null || !grantor.holds(resource, action)) {
                    refused.computeIfAbsent(resource, r -> new ArrayList<>()).add(action);
                }
            }
        });
        if (refused.isEmpty()) {
            return;
        }
        boolean reserved = refused.keySet().stream().anyMatch(Permissions::isReserved);
        throw new KeyCommandRejected(Rejection.PERMISSION_NOT_GRANTABLE, reserved
                ? "The " + Permissions.RESERVED_NAMESPACE + " namespace is reserved for the platform's service tokens"
                : "A credential can only grant permissions it holds itself",
                Map.of("reason", "permission_not_grantable", "field", "permissions", "not_grantable", refused));
    }
}
