using Npgsql;

namespace Recovery.Tests;

public sealed class ConcurrentRequestTests(RecoveryTestHost host) : IClassFixture<RecoveryTestHost>
{
    [Fact]
    public async Task simultaneous_requests_for_one_account_leave_exactly_one_usable_link_and_every_request_handled()
    {
        // Only the last requests of a burst can still race each other, so a few short bursts catch more than one long one.
        const int bursts = 6, requests = 4;
        for (var burst = 0; burst < bursts; burst++)
        {
            var account = await host.NewAccountAsync();
            var gate = new TaskCompletionSource();
            var racers = Enumerable.Range(0, requests).Select(i => Task.Run(async () =>
            {
                await gate.Task;
                var login = i % 2 == 0 ? account.Username : account.Email!;
                return (await host.SendAsync(null, s => s.Post.Json(new { login, channel = "email-link" }).ToUrl("/api/recovery/requests"))).Context.Response.StatusCode;
            })).ToArray();
            var statuses = await host.AndWaitAsync(() =>
            {
                gate.SetResult();
                return Task.WhenAll(racers);
            });

            Assert.All(statuses, s => Assert.Equal(202, s));
            Assert.Equal(0, await DeadLettersAsync());
            var rows = await host.ResetHistoryAsync($"?accountId={account.Id}");
            Assert.Equal(requests, rows.Length);
            Assert.Single(rows, r => r.Outcome == "pending");
            Assert.Equal(requests - 1, rows.Count(r => r.Outcome == "superseded"));

            // Every request's handler ran to the end: each one sent its link, and only one of those links works.
            await host.MessageAsync(account.Email!, "reset-link", requests);
            var answers = new List<int>();
            foreach (var token in host.MessagesTo(account.Email!, "reset-link").Select(RecoveryTestHost.TokenIn))
                answers.Add((await host.ResetAsync(token, $"Meadow-Lantern-{answers.Count}918")).Context.Response.StatusCode);
            Assert.Single(answers, s => s == 204);
        }
    }

    private async Task<long> DeadLettersAsync()
    {
        await using var connection = new NpgsqlConnection(host.ConnectionString);
        await connection.OpenAsync();
        await using var find = new NpgsqlCommand("select table_schema from information_schema.tables where table_name = 'wolverine_dead_letters'", connection);
        var schema = (string?)await find.ExecuteScalarAsync() ?? throw new InvalidOperationException("Wolverine keeps no dead letters table here.");
        await using var count = new NpgsqlCommand($"select count(*) from \"{schema}\".wolverine_dead_letters", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
