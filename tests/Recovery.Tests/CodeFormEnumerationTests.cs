using Testing;

namespace Recovery.Tests;

/// <summary>Moves the host's clock, so it has a host of its own.</summary>
public sealed class CodeFormHost : RecoveryTestHost;

/// <summary>
/// Only a real account can have a superseded request (a new request supersedes only what was sent), so a superseded
/// code request must answer the code form exactly as a request for an unknown login does.
/// </summary>
public sealed class CodeFormEnumerationTests(CodeFormHost host) : IClassFixture<CodeFormHost>
{
    [Theory]
    [InlineData("sms-otp")]
    [InlineData("email-otp")]
    public async Task a_superseded_code_request_answers_like_a_request_for_an_unknown_login(string channel)
    {
        await host.EnableAllChannelsAsync();
        var known = await host.NewAccountAsync();
        var unknown = $"ghost-{Guid.NewGuid():N}";

        // Two requests each: the first of the real login is superseded by the second; the unknown login's are not.
        var knownFirst = await host.RequestAsync(known.Username, channel);
        await host.RequestAsync(known.Username, channel);
        var unknownFirst = await host.RequestAsync(unknown, channel);
        await host.RequestAsync(unknown, channel);
        // Two more each, tried only a little before their lifetime runs out.
        var knownShort = await host.RequestAsync(known.Email!, channel);
        await host.RequestAsync(known.Email!, channel);
        var unknownShort = await host.RequestAsync(unknown + "@example.test", channel);
        await host.RequestAsync(unknown + "@example.test", channel);

        async Task<List<string?>> TryAsync(Guid requestId, int times)
        {
            var answers = new List<string?>();
            for (var i = 0; i < times; i++)
            {
                var problem = await Problem.ReadAsync(await host.VerifyAsync(requestId, "000000"));
                answers.Add($"{problem.Status} {problem.Code}");
            }

            return answers;
        }

        var forKnown = await TryAsync(knownFirst, 6);
        var forUnknown = await TryAsync(unknownFirst, 6);
        var shortKnown = await TryAsync(knownShort, 2);
        var shortUnknown = await TryAsync(unknownShort, 2);

        host.Clock.Advance(TimeSpan.FromMinutes(11));
        forKnown.AddRange(await TryAsync(knownFirst, 2));
        forUnknown.AddRange(await TryAsync(unknownFirst, 2));
        shortKnown.AddRange(await TryAsync(knownShort, 2));
        shortUnknown.AddRange(await TryAsync(unknownShort, 2));

        Assert.Equal([.. Enumerable.Repeat("400 invalid_code", 5), .. Enumerable.Repeat("400 too_many_attempts", 3)], forUnknown);
        Assert.Equal(forUnknown, forKnown);
        Assert.Equal(["400 invalid_code", "400 invalid_code", "400 expired", "400 expired"], shortUnknown);
        Assert.Equal(shortUnknown, shortKnown);
    }
}
