// The tests here start real host processes (a crash and restart, three nodes) and time what they observe (a message
// within 15 s of ready, a trace across the durable queue): one class at a time, so that they do not load the machine
// for one another.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
