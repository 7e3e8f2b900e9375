/**
 * webhook-ingest: receives provider delivery reports (Bizgo's report webhook first), verifies source address and
 * signature, and writes each report to the reports topic before answering 200. Not built yet: see issue 4.
 */
package dev.deliverytracker.webhook;
