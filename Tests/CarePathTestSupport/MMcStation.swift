/// One role with exponential service of mean 1 h under Poisson arrivals: an M/M/c queue whose
/// least capacity for a limit on the mean wait Erlang C gives (`ErlangC.meanWait(servers:load:)`).
public enum MMcStation {
    public static let pathway = """
    pathway: mmc
    title: One M/M/c station
    organisations:
      clinic:
        name: Clinic
        sector: primary
        maturity: integrated
        roles:
          staff: { capacity: 1 }
    states:
      service:
        owner: clinic/staff
        duration: exponential(mean=1h)
        next: [ { to: done } ]
      done: { terminal: true }
    """
}
