using TaxiAspire.IntegrationTests.Infrastructure;

[assembly: AssemblyFixture(typeof(PostgresFixture))]
