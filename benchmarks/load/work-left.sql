-- Background work left to do now: the durable inbox's messages to handle (scheduled ones that are due included; the
-- expiries scheduled hours ahead are not) and the outbox. 0 means the queue is drained. Used by run.sh, profile.sh and
-- nodes.sh.
select (select count(*) from recovery.wolverine_incoming_envelopes where status = 'Incoming' or (status = 'Scheduled' and execution_time < now()))
     + (select count(*) from recovery.wolverine_outgoing_envelopes);
