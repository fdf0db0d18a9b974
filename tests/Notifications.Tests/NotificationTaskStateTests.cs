namespace Notifications.Tests;

/// <summary>The notification task's rules as its events fold, without a host: attempts, retries and what may be redone.</summary>
public class NotificationTaskStateTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid Id = Guid.NewGuid();

    private static NotificationTask Requested(DateTimeOffset scheduledFor) => NotificationTask.Create(new NotificationRequested(
        Id, "test", "email", "ada@example.test", null, new Dictionary<string, string>(), new MaskedMessage("Subject", "Text", null), false, scheduledFor, Now));

    private static DeliveryFailed Failed(int attempt, DateTimeOffset? retryAt) =>
        new(Id, attempt, "test", "email", "ada@example.test", "Subject", "Connection refused", false, retryAt, Now);

    [Fact]
    public void a_task_waiting_for_its_first_attempt_keeps_its_delay_and_cannot_be_redone()
    {
        var task = Requested(Now.AddMinutes(10));
        Assert.Equal(("waiting", 1), (task.Status.Wire(), task.NextAttempt));
        Assert.False(task.CanBeRedone);
    }

    [Fact]
    public void a_failed_attempt_with_a_retry_ahead_waits_and_may_be_redone_with_the_same_next_attempt()
    {
        var task = Requested(Now).Apply(new DeliveryStarted(Id, 1, Now)).Apply(Failed(1, Now.AddHours(1)));
        Assert.Equal(("waiting", 1, 2), (task.Status.Wire(), task.Attempts, task.NextAttempt));
        Assert.Equal(Now.AddHours(1), task.ScheduledFor);
        Assert.True(task.CanBeRedone);

        var redone = task.Apply(new RedoRequested(Id, Guid.NewGuid(), Now.AddMinutes(5)));
        Assert.Equal(2, redone.NextAttempt); // the pending retry carries attempt 2 as well: whichever runs second finds it taken
        Assert.Equal((0, Now.AddMinutes(5)), (redone.RoundAttempts, redone.ScheduledFor));
    }

    [Fact]
    public void the_last_failure_fails_the_task_and_a_delivery_completes_it_both_may_be_redone()
    {
        var failed = Requested(Now).Apply(new DeliveryStarted(Id, 1, Now)).Apply(Failed(1, null));
        Assert.Equal("failed", failed.Status.Wire());
        Assert.True(failed.CanBeRedone);

        var done = Requested(Now).Apply(new DeliveryStarted(Id, 1, Now))
            .Apply(new NotificationDelivered(Id, 1, "test", "email", "ada@example.test", "Subject", null, Now));
        Assert.Equal("done", done.Status.Wire());
        Assert.True(done.CanBeRedone);
        Assert.False(Requested(Now).Apply(new DeliveryStarted(Id, 1, Now)).CanBeRedone); // executing
    }
}
