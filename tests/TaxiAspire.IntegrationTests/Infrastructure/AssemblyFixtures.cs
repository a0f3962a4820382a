using TaxiAspire.IntegrationTests.Infrastructure;

// One Kafka cluster and one PostgreSQL server for the whole run; tests isolate by topic and by database.
[assembly: AssemblyFixture(typeof(KafkaFixture))]
[assembly: AssemblyFixture(typeof(PostgresFixture))]
