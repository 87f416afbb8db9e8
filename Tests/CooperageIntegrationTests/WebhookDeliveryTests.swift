import CooperageStore
import CooperageWebhooks
import Foundation
import PostgresNIO
import Testing

/// Webhooks end to end: a receiver started by the test, with a signature check of its own, gets signed deliveries
/// from a dispatcher on a database of the test's own; it can be down, answer errors, get a message twice, and two
/// dispatchers share one database.
@Suite(.timeLimit(.minutes(3))) struct WebhookDeliveryTests {
    /// An agency and its admin's token.
    func agency(_ client: TestClient) async throws -> (tenant: String, admin: String) {
        let tenant = try await client.createTenant()
        return (tenant.lowercased(), try await client.token(for: tenant, role: "agency-admin"))
    }

    @Test func anEventArrivesSignedWithItsFactsAndTheAttemptIsListed() async throws {
        try await WebhookWorld.with { world, client in
            let (tenant, admin) = try await agency(client)
            let receiver = WebhookReceiver()
            try await receiver.start()
            defer { Task { await receiver.stop() } }
            let webhook = try await client.createWebhook(url: receiver.url, events: ["usage.registered"], token: admin)
            receiver.setSecrets([webhook.secret])
            world.startDispatcher()

            let usage = UUID().uuidString.lowercased()
            let event = try await world.publish(
                tenant: tenant,
                type: "usage.registered",
                subject: ("usage", usage),
                data: ["usageId": usage, "amountCents": 1_048_500]
            )
            try await world.waitUntil("the receiver processed the event") { receiver.processed[event] != nil }

            let arrival = try #require(receiver.arrivals(of: event).first)
            #expect(arrival.verified, "signature \(arrival.signatureHeader) did not verify")
            #expect(arrival.verifiedSecrets == [0])
            #expect(arrival.signatureHeader.hasPrefix("v1,"))
            let body = arrival.json
            #expect(body["id"] as? String == event)
            #expect(body["type"] as? String == "usage.registered")
            #expect(body["tenantId"] as? String == tenant)
            #expect((body["occurredAt"] as? String)?.hasSuffix("Z") == true)
            let subject = try #require(body["subject"] as? [String: Any])
            #expect(subject["type"] as? String == "usage" && subject["id"] as? String == usage)
            let data = try #require(body["data"] as? [String: Any])
            #expect(data["usageId"] as? String == usage)
            #expect(data["amountCents"] as? Int == 1_048_500)

            try await world.waitUntil("the delivery is recorded as delivered") {
                try await client.deliveries(of: webhook.id, token: admin).first?["status"] as? String == "delivered"
            }
            let delivery = try #require(try await client.deliveries(of: webhook.id, token: admin).first)
            #expect((delivery["eventId"] as? String)?.lowercased() == event)
            #expect(delivery["eventType"] as? String == "usage.registered")
            #expect(delivery["attemptCount"] as? Int == 1)
            let attempts = try #require(delivery["attempts"] as? [[String: Any]])
            #expect(attempts.count == 1)
            #expect(attempts.first?["responseStatus"] as? Int == 204)
            #expect(attempts.first?["succeeded"] as? Bool == true)
            #expect(attempts.first?["attemptedAt"] as? String != nil)
            #expect(attempts.first?["durationMs"] as? Int != nil)
        }
    }

    @Test func decisionsUsageAndAlertsArriveSignedFromTheAPI() async throws {
        try await WebhookWorld.with { world, client in
            let lead = try await client.createTenant(state: "TX", entityType: "state-agency", name: "Lead Agency")
            let agreement = try await Fixtures.agreement(lead: lead, ceilingCents: 1_000_000, on: world.url)
            let city = try await client.createTenant(state: "TX", entityType: "city", name: "Buyer City")
            try await Fixtures.participation(tenant: city, on: world.url)
            let admin = try await client.token(for: city, role: "agency-admin")
            let buyer = try await client.token(for: city, role: "agency-buyer")

            let agencyReceiver = WebhookReceiver()
            try await agencyReceiver.start()
            defer { Task { await agencyReceiver.stop() } }
            let agencyHook = try await client.createWebhook(
                url: agencyReceiver.url,
                events: ["authorization.decided", "usage.registered"],
                token: admin
            )
            agencyReceiver.setSecrets([agencyHook.secret])
            let cooperativeReceiver = WebhookReceiver()
            try await cooperativeReceiver.start()
            defer { Task { await cooperativeReceiver.stop() } }
            let cooperativeHook = try await client.createWebhook(url: cooperativeReceiver.url, events: ["agreement.ceiling"])
            cooperativeReceiver.setSecrets([cooperativeHook.secret])
            world.startDispatcher()

            // 85% of the agreement's ceiling: a decision for the agency, an 80% alert for the cooperative.
            let decided = try await client.send(
                .post,
                "/v1/authorizations",
                token: buyer,
                json: [
                    "agreementId": agreement, "amountCents": 850_000, "purchaseDate": "2026-12-01", "category": "43211507",
                    "purpose": "Laptops",
                ]
            )
            try #require(decided.string("outcome") == "approved", "\(decided.text)")
            let authorization = try #require(decided.string("id")).lowercased()
            let order = try await client.send(
                .post,
                "/v1/usage",
                token: buyer,
                json: [
                    "authorizationId": authorization, "poNumber": "PO-1", "orderDate": "2026-12-02", "amountCents": 200_000,
                    "lines": [["description": "Laptop", "unspsc": "43211503", "quantity": 2, "unitPriceCents": 100_000]],
                ],
                headers: UsageScene.key()
            )
            try #require(order.status == .created, "\(order.text)")
            let usage = try #require(order.string("id")).lowercased()

            try await world.waitUntil("the agency's receiver processed the decision and the order") {
                agencyReceiver.processed.count == 2
            }
            let bodies = agencyReceiver.arrivals.filter(\.verified).map(\.json)
            #expect(agencyReceiver.arrivals.allSatisfy { $0.verified })
            let decision = try #require(bodies.first { $0["type"] as? String == "authorization.decided" })
            #expect((decision["subject"] as? [String: Any])?["id"] as? String == authorization)
            #expect((decision["data"] as? [String: Any])?["outcome"] as? String == "approved")
            #expect((decision["tenantId"] as? String)?.lowercased() == city.lowercased())
            let registered = try #require(bodies.first { $0["type"] as? String == "usage.registered" })
            #expect((registered["subject"] as? [String: Any])?["id"] as? String == usage)
            #expect((registered["data"] as? [String: Any])?["amountCents"] as? Int == 200_000)

            try await world.waitUntil("the cooperative's receiver processed the ceiling alert") {
                cooperativeReceiver.processed.count == 1
            }
            let alert = try #require(cooperativeReceiver.arrivals.first)
            #expect(alert.verified)
            #expect(alert.json["type"] as? String == "agreement.ceiling")
            #expect(alert.json["tenantId"] is NSNull)
            #expect((alert.json["data"] as? [String: Any])?["percent"] as? Int == 80)
            // Each scope's receiver got its own events only.
            #expect(agencyReceiver.arrivals.allSatisfy { $0.json["type"] as? String != "agreement.ceiling" })
        }
    }

    @Test func onlyTheEventsScopeAndSubscribedTypesGetDeliveries() async throws {
        try await WebhookWorld.with { world, client in
            let (a, adminA) = try await agency(client)
            let (_, adminB) = try await agency(client)
            let subscribed = try await client.createWebhook(
                url: "http://127.0.0.1:9/a",
                events: ["usage.registered"],
                token: adminA
            )
            let otherType = try await client.createWebhook(
                url: "http://127.0.0.1:9/b",
                events: ["tenant.suspended"],
                token: adminA
            )
            let paused = try await client.createWebhook(url: "http://127.0.0.1:9/c", events: ["usage.registered"], token: adminA)
            #expect(
                try await client.send(.patch, "/v1/webhooks/\(paused.id)", token: adminA, json: ["enabled": false]).status == .ok
            )
            let otherAgency = try await client.createWebhook(
                url: "http://127.0.0.1:9/d",
                events: ["usage.registered"],
                token: adminB
            )
            let cooperative = try await client.createWebhook(url: "http://127.0.0.1:9/e", events: ["usage.registered"])

            let event = try await world.publish(tenant: a, type: "usage.registered")
            let endpoints = try await world.adminValues(
                "SELECT endpoint_id::text FROM webhook_delivery WHERE event_id = \(UUID(uuidString: event)!)",
                as: String.self
            )
            #expect(endpoints == [subscribed.id])
            _ = (otherType, otherAgency)

            // The cooperative's own events go to the cooperative's endpoints only.
            let cooperativeEvent = try await world.publish(tenant: nil, type: "usage.registered")
            let cooperativeEndpoints = try await world.adminValues(
                "SELECT endpoint_id::text FROM webhook_delivery WHERE event_id = \(UUID(uuidString: cooperativeEvent)!)",
                as: String.self
            )
            #expect(cooperativeEndpoints == [cooperative.id])
        }
    }

    @Test func noEventWithoutItsDeliveriesAndNoDeliveryWithoutItsEvent() async throws {
        try await WebhookWorld.with { world, client in
            let (tenant, admin) = try await agency(client)
            _ = try await client.createWebhook(url: "http://127.0.0.1:9/a", events: ["usage.reversed"], token: admin)
            struct Rollback: Error {}
            // The fan-out runs in the event's transaction: rolled back, neither the event nor its delivery exists.
            await #expect(throws: Rollback.self) {
                try await world.database.withTenant(UUID(uuidString: tenant)!) { connection in
                    _ = try await connection.query(
                        "SELECT event_publish(\(UUID(uuidString: tenant)!), 'usage.reversed', 't', 'x', '{}'::jsonb, false, NULL)",
                        logger: TestDatabase.logger
                    ).decode(UUID?.self).array()
                    throw Rollback()
                }
            }
            #expect(try await world.adminValues("SELECT count(*) FROM event", as: Int.self) == [0])
            #expect(try await world.adminValues("SELECT count(*) FROM webhook_delivery", as: Int.self) == [0])
            try await world.publish(tenant: tenant, type: "usage.reversed")
            #expect(try await world.adminValues("SELECT count(*) FROM webhook_delivery", as: Int.self) == [1])
        }
    }

    @Test func aReceiverThatIsDownGetsTheMessageLaterAndProcessesItOnce() async throws {
        try await WebhookWorld.with { world, client in
            let (tenant, admin) = try await agency(client)
            let receiver = WebhookReceiver()
            try await receiver.start()
            let port = receiver.port
            let webhook = try await client.createWebhook(url: receiver.url, events: ["authorization.decided"], token: admin)
            receiver.setSecrets([webhook.secret])
            // Down: nothing listens on its port.
            await receiver.stop()
            world.startDispatcher()
            let event = try await world.publish(tenant: tenant, type: "authorization.decided", data: ["outcome": "approved"])
            try await world.waitUntil("two attempts failed") {
                let attempts = try await client.deliveries(of: webhook.id, token: admin).first?["attempts"] as? [[String: Any]]
                return (attempts?.count ?? 0) >= 2
            }
            // Up again, on the same address: the next retry gets through.
            try await receiver.start(port: port)
            defer { Task { await receiver.stop() } }
            try await world.waitUntil("the receiver processed the event") { receiver.processed[event] != nil }
            try await world.waitUntil("the delivery is recorded as delivered") {
                try await client.deliveries(of: webhook.id, token: admin).first?["status"] as? String == "delivered"
            }
            let delivery = try #require(try await client.deliveries(of: webhook.id, token: admin).first)
            let attempts = try #require(delivery["attempts"] as? [[String: Any]])
            #expect(attempts.count >= 3)
            for failed in attempts.dropLast() {
                #expect(failed["succeeded"] as? Bool == false)
                #expect(failed["responseStatus"] == nil)
                #expect((failed["error"] as? String)?.isEmpty == false)
            }
            #expect(attempts.last?["responseStatus"] as? Int == 204)
            let times = attempts.compactMap { $0["attemptedAt"] as? String }
            #expect(times == times.sorted() && times.count == attempts.count)
            #expect(receiver.arrivals(of: event).allSatisfy { $0.verified })

            // Sent again by hand (the same webhook-id): the receiver gets it twice and processes it once.
            let deliveryID = try #require(delivery["id"] as? String)
            let retry = try await client.send(.post, "/v1/webhooks/\(webhook.id)/deliveries/\(deliveryID)/retry", token: admin)
            #expect(retry.status == .accepted)
            #expect(retry.string("status") == "pending")
            try await world.waitUntil("the repeated delivery arrived") { receiver.arrivals(of: event).count == 2 }
            let attemptsBefore = attempts.count
            try await world.waitUntil("the retry is recorded") {
                let item = try await client.deliveries(of: webhook.id, token: admin).first
                return item?["status"] as? String == "delivered" && (item?["attemptCount"] as? Int ?? 0) == attemptsBefore + 1
            }
            #expect(receiver.processed.count == 1)
            #expect(Set(receiver.arrivals(of: event).map(\.id)) == [event])
        }
    }

    @Test func errorAnswersAreRetriedAndListedWithTheirStatus() async throws {
        try await WebhookWorld.with { world, client in
            let (tenant, admin) = try await agency(client)
            let receiver = WebhookReceiver()
            try await receiver.start()
            defer { Task { await receiver.stop() } }
            let webhook = try await client.createWebhook(url: receiver.url, events: ["usage.registered"], token: admin)
            receiver.setSecrets([webhook.secret])
            receiver.answer([503, 500, 302])
            world.startDispatcher()
            let event = try await world.publish(tenant: tenant, type: "usage.registered")
            try await world.waitUntil("the delivery is recorded as delivered") {
                try await client.deliveries(of: webhook.id, token: admin).first?["status"] as? String == "delivered"
            }
            let attempts = try #require(
                try await client.deliveries(of: webhook.id, token: admin).first?["attempts"] as? [[String: Any]]
            )
            #expect(attempts.compactMap { $0["responseStatus"] as? Int } == [503, 500, 302, 204])
            #expect(attempts.compactMap { $0["number"] as? Int } == [1, 2, 3, 4])
            #expect((attempts[2]["error"] as? String)?.contains("redirect") == true)
            #expect(receiver.processed[event] != nil)
            // A failing endpoint that then succeeds is not failing any more.
            let endpoint = try await client.send(.get, "/v1/webhooks/\(webhook.id)", token: admin)
            #expect(endpoint.json["failingSince"] == nil)
            #expect(endpoint.json["enabled"] as? Bool == true)
        }
    }

    @Test func aRotatedSecretSignsBesideTheOldOne() async throws {
        try await WebhookWorld.with { world, client in
            let (tenant, admin) = try await agency(client)
            let receiver = WebhookReceiver()
            try await receiver.start()
            defer { Task { await receiver.stop() } }
            let webhook = try await client.createWebhook(url: receiver.url, events: ["usage.registered"], token: admin)
            let rotated = try await client.send(.post, "/v1/webhooks/\(webhook.id)/rotate-secret", token: admin)
            #expect(rotated.status == .ok)
            let newSecret = try #require(rotated.string("secret"))
            #expect(newSecret.hasPrefix("whsec_") && newSecret != webhook.secret)
            #expect(rotated.string("previousSecretExpiresAt") != nil)
            #expect(rotated.string("secretRotatedAt") != nil)
            // The secret is shown only at creation and rotation.
            let shown = try await client.send(.get, "/v1/webhooks/\(webhook.id)", token: admin)
            #expect(shown.json["secret"] == nil)
            #expect(!shown.text.contains(newSecret) && !shown.text.contains(webhook.secret))

            receiver.setSecrets([newSecret, webhook.secret])
            world.startDispatcher()
            let event = try await world.publish(tenant: tenant, type: "usage.registered")
            try await world.waitUntil("the receiver processed the event") { receiver.processed[event] != nil }
            let arrival = try #require(receiver.arrivals(of: event).first)
            #expect(arrival.signatureHeader.split(separator: " ").count == 2)
            #expect(arrival.verifiedSecrets == [0, 1], "both the new and the old secret sign")
            // A receiver that knows only the old secret, or only the new, still verifies.
            #expect(
                WebhookReceiver.verify(
                    id: arrival.id,
                    timestamp: arrival.timestamp,
                    body: arrival.body,
                    header: arrival.signatureHeader,
                    secrets: [webhook.secret]
                ) == [0]
            )
        }
    }

    @Test func twoDispatchersNeverSendOneDeliveryTwice() async throws {
        try await WebhookWorld.with { world, client in
            let (tenant, admin) = try await agency(client)
            let receiver = WebhookReceiver()
            try await receiver.start()
            defer { Task { await receiver.stop() } }
            let webhook = try await client.createWebhook(url: receiver.url, events: ["usage.registered"], token: admin)
            receiver.setSecrets([webhook.secret])
            // Slow answers keep claims open while the other dispatcher looks for work.
            receiver.delayEachAnswer(.milliseconds(30))
            var published: [String] = []
            for index in 0..<40 {
                published.append(try await world.publish(tenant: tenant, type: "usage.registered", data: ["n": index]))
            }
            let events = published
            var second = world.settings
            second.concurrentDeliveries = 3
            let first = world.startDispatcher(ownPool: true, settings: second)
            let other = world.startDispatcher(ownPool: true, settings: second)
            #expect(first != other)
            try await world.waitUntil("every event was processed") { receiver.processed.count == events.count }
            try await world.waitUntil("every delivery is recorded") {
                try await world.adminValues(
                    "SELECT count(*) FROM webhook_delivery WHERE status = 'delivered'",
                    as: Int.self
                ) == [events.count]
            }
            for event in events {
                #expect(receiver.arrivals(of: event).count == 1, "event \(event) arrived more than once")
            }
            #expect(try await world.adminValues("SELECT count(*) FROM webhook_attempt", as: Int.self) == [events.count])
            #expect(try await world.adminValues("SELECT max(attempt_count) FROM webhook_delivery", as: Int32.self) == [1])
        }
    }

    @Test func anEndpointFailingPastTheThresholdIsDisabledAndThatIsPublished() async throws {
        var settings = WebhookWorld.fastSettings
        settings.disableAfter = .milliseconds(400)
        try await WebhookWorld.with(settings: settings) { world, client in
            let (tenant, admin) = try await agency(client)
            let broken = WebhookReceiver()
            try await broken.start()
            defer { Task { await broken.stop() } }
            broken.answerAlways(500)
            let watcher = WebhookReceiver()
            try await watcher.start()
            defer { Task { await watcher.stop() } }
            let failing = try await client.createWebhook(url: broken.url, events: ["usage.registered"], token: admin)
            let watching = try await client.createWebhook(url: watcher.url, events: ["webhook.endpoint-disabled"], token: admin)
            watcher.setSecrets([watching.secret])
            world.startDispatcher()
            try await world.publish(tenant: tenant, type: "usage.registered")

            try await world.waitUntil("the failing endpoint is disabled") {
                try await client.send(.get, "/v1/webhooks/\(failing.id)", token: admin).json["enabled"] as? Bool == false
            }
            let endpoint = try await client.send(.get, "/v1/webhooks/\(failing.id)", token: admin).json
            #expect((endpoint["disabledReason"] as? String)?.contains("failed since") == true)
            #expect(endpoint["failingSince"] as? String != nil)
            #expect(endpoint["disabledAt"] as? String != nil)

            // The event says so, in the endpoint's scope, once; and the scope's other endpoint receives it.
            let published = try await world.adminValues(
                "SELECT data->>'endpointId' FROM event WHERE type = 'webhook.endpoint-disabled' AND tenant_id = \(UUID(uuidString: tenant)!)",
                as: String.self
            )
            #expect(published == [failing.id])
            try await world.waitUntil("the watcher got the event") { watcher.processed.count == 1 }
            let told = try #require(watcher.processed.values.first)
            let body = try #require(try JSONSerialization.jsonObject(with: told) as? [String: Any])
            #expect(body["type"] as? String == "webhook.endpoint-disabled")
            #expect((body["data"] as? [String: Any])?["endpointId"] as? String == failing.id)
            #expect((body["subject"] as? [String: Any])?["id"] as? String == failing.id)
            let audited = try await world.adminValues(
                "SELECT count(*) FROM audit_event WHERE action = 'webhook.disabled' AND subject_id = \(failing.id)",
                as: Int.self
            )
            #expect(audited == [1])

            // Disabled, it gets nothing new; re-enabled, its failure state is cleared and its waiting delivery goes.
            let attemptsOfFailing: PostgresQuery = """
                SELECT count(*) FROM webhook_attempt a JOIN webhook_delivery d ON d.tenant_id = a.tenant_id AND d.id = a.delivery_id
                WHERE d.endpoint_id = \(UUID(uuidString: failing.id)!)
                """
            let attemptsBefore = try await world.adminValues(attemptsOfFailing, as: Int.self)
            try await world.publish(tenant: tenant, type: "usage.registered")
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await world.adminValues(attemptsOfFailing, as: Int.self) == attemptsBefore)
            broken.answerAlways(nil)
            broken.setSecrets([failing.secret])
            let enabled = try await client.send(.patch, "/v1/webhooks/\(failing.id)", token: admin, json: ["enabled": true])
            #expect(enabled.status == .ok)
            #expect(enabled.json["enabled"] as? Bool == true)
            #expect(enabled.json["failingSince"] == nil && enabled.json["disabledReason"] == nil)
            try await world.waitUntil("the waiting delivery arrived") { broken.processed.count == 1 }
            // Only the delivery that was waiting: the event published while it was disabled was not fanned out to it.
            try await Task.sleep(for: .milliseconds(300))
            #expect(broken.processed.count == 1)
        }
    }

    @Test func aGoneEndpointIsDisabledAtOnce() async throws {
        try await WebhookWorld.with { world, client in
            let (tenant, admin) = try await agency(client)
            let receiver = WebhookReceiver()
            try await receiver.start()
            defer { Task { await receiver.stop() } }
            receiver.answerAlways(410)
            let webhook = try await client.createWebhook(url: receiver.url, events: ["usage.registered"], token: admin)
            world.startDispatcher()
            try await world.publish(tenant: tenant, type: "usage.registered")
            try await world.waitUntil("the endpoint is disabled") {
                try await client.send(.get, "/v1/webhooks/\(webhook.id)", token: admin).json["enabled"] as? Bool == false
            }
            let endpoint = try await client.send(.get, "/v1/webhooks/\(webhook.id)", token: admin).json
            #expect((endpoint["disabledReason"] as? String)?.contains("410") == true)
            #expect(receiver.arrivals.count == 1)
            let delivery = try #require(try await client.deliveries(of: webhook.id, token: admin).first)
            #expect(delivery["status"] as? String == "failed")
            // A disabled endpoint's delivery cannot be retried until it is enabled again.
            let retry = try await client.send(
                .post,
                "/v1/webhooks/\(webhook.id)/deliveries/\(delivery["id"] as? String ?? "")/retry",
                token: admin
            )
            #expect(retry.status == .conflict)
        }
    }

    @Test func aDeliveryThatFailedForGoodCanBeSentOnceMore() async throws {
        var settings = WebhookWorld.fastSettings
        settings.retrySchedule = RetrySchedule(steps: [.milliseconds(100)])
        try await WebhookWorld.with(settings: settings) { world, client in
            let (tenant, admin) = try await agency(client)
            let receiver = WebhookReceiver()
            try await receiver.start()
            defer { Task { await receiver.stop() } }
            let webhook = try await client.createWebhook(url: receiver.url, events: ["usage.registered"], token: admin)
            receiver.setSecrets([webhook.secret])
            receiver.answer([500, 500])
            world.startDispatcher()
            let event = try await world.publish(tenant: tenant, type: "usage.registered")
            try await world.waitUntil("the delivery failed for good") {
                try await client.deliveries(of: webhook.id, token: admin).first?["status"] as? String == "failed"
            }
            let delivery = try #require(try await client.deliveries(of: webhook.id, token: admin).first)
            #expect((delivery["attempts"] as? [[String: Any]])?.count == 2)
            #expect(delivery["nextAttemptAt"] == nil)
            let retry = try await client.send(
                .post,
                "/v1/webhooks/\(webhook.id)/deliveries/\(delivery["id"] as? String ?? "")/retry",
                token: admin
            )
            #expect(retry.status == .accepted)
            try await world.waitUntil("the retried delivery arrived") { receiver.processed[event] != nil }
            try await world.waitUntil("the delivery is recorded as delivered") {
                try await client.deliveries(of: webhook.id, token: admin).first?["status"] as? String == "delivered"
            }
        }
    }

    @Test func aClaimThatLapsedIsTakenOverAndTheLateOutcomeDecidesNothing() async throws {
        try await WebhookWorld.with { world, client in
            let (tenant, admin) = try await agency(client)
            let webhook = try await client.createWebhook(url: "http://127.0.0.1:9/x", events: ["usage.registered"], token: admin)
            try await world.publish(tenant: tenant, type: "usage.registered")
            let store = WebhookStore(database: world.database)
            let scope = try #require(UUID(uuidString: tenant))
            // A dispatcher claims it and dies; while its lease runs nobody else takes it, once it lapsed another does.
            let first = try await store.claim(scope: scope, dispatcher: "a", lease: .seconds(600), limit: 5)
            #expect(first.count == 1)
            #expect(try await store.claim(scope: scope, dispatcher: "b", lease: .seconds(30), limit: 5).isEmpty)
            // The lease ends (moved into the past rather than waited for).
            _ = try await world.adminValues(
                "UPDATE webhook_delivery SET claimed_until = now() - interval '1 second' RETURNING 1",
                as: Int32.self
            )
            let second = try await store.claim(scope: scope, dispatcher: "b", lease: .seconds(30), limit: 5)
            #expect(second.count == 1 && second.first?.id == first.first?.id)
            #expect(second.first?.claimToken != first.first?.claimToken)
            // The first dispatcher's late outcome is recorded as an attempt but does not decide the delivery.
            let late = AttemptOutcome(startedAt: Date(), durationMilliseconds: 5, responseStatus: 204, error: nil, retryIn: nil)
            let recorded = try await store.record(
                late,
                for: try #require(first.first),
                dispatcher: "a",
                disableAfter: .seconds(3600)
            )
            #expect(!recorded.decided)
            #expect(try await client.deliveries(of: webhook.id, token: admin).first?["status"] as? String == "pending")
            let failed = AttemptOutcome(
                startedAt: Date(),
                durationMilliseconds: 5,
                responseStatus: 500,
                error: "HTTP 500",
                retryIn: .seconds(60)
            )
            let decided = try await store.record(
                failed,
                for: try #require(second.first),
                dispatcher: "b",
                disableAfter: .seconds(3600)
            )
            #expect(decided.decided && decided.number == 2)
            let delivery = try #require(try await client.deliveries(of: webhook.id, token: admin).first)
            #expect(delivery["status"] as? String == "pending")
            #expect((delivery["attempts"] as? [[String: Any]])?.compactMap { $0["responseStatus"] as? Int } == [204, 500])
        }
    }
}
