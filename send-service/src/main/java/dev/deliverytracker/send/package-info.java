/**
 * send-service: the producers' API ({@code POST /v1/messages}); sends through a provider adapter and records every
 * send in the sends topic. Not built yet: see issue 5.
 */
package dev.deliverytracker.send;
