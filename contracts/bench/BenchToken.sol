// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/**
 * @title BenchToken
 * @notice A plain ERC-20 (EIP-20) token: the L1 baseline the benchmark measures an L2 transfer against.
 * @dev Deliberately the textbook layout (balance and allowance mappings, no hooks, no permit) so its
 *      transfer costs what a typical mainnet token transfer costs. The whole supply is minted to the
 *      deployer once.
 */
contract BenchToken {
    /// @notice The sender holds less than it tries to move.
    error InsufficientBalance(address from, uint256 balance, uint256 needed);
    /// @notice The spender may move less than it tries to move.
    error InsufficientAllowance(address owner, address spender, uint256 allowance, uint256 needed);
    /// @notice Tokens cannot be sent to the zero address (they would be lost).
    error TransferToZeroAddress(address from);

    /// @notice EIP-20 transfer event.
    event Transfer(address indexed from, address indexed to, uint256 value);
    /// @notice EIP-20 approval event.
    event Approval(address indexed owner, address indexed spender, uint256 value);

    // EIP-20 fixes these lower-case getter names.
    // solhint-disable-next-line const-name-snakecase
    string public constant name = "l2lab Bench Token";
    // solhint-disable-next-line const-name-snakecase
    string public constant symbol = "BENCH";
    // solhint-disable-next-line const-name-snakecase
    uint8 public constant decimals = 18;

    /// @notice Total tokens in existence.
    uint256 public totalSupply;
    /// @notice Balance of each holder.
    mapping(address holder => uint256 amount) public balanceOf;
    /// @notice What each spender may still move for each owner.
    mapping(address owner => mapping(address spender => uint256 amount)) public allowance;

    /**
     * @notice Mints `supply` to the deployer.
     * @dev Minting once at deploy keeps the token a fixed-supply EIP-20 with nothing else to audit.
     */
    constructor(uint256 supply) {
        totalSupply = supply;
        balanceOf[msg.sender] = supply;
        emit Transfer(address(0), msg.sender, supply);
    }

    /**
     * @notice Moves `value` from the caller to `to`.
     * @dev EIP-20 `transfer`; reverts instead of returning false.
     */
    function transfer(address to, uint256 value) external returns (bool) {
        _move(msg.sender, to, value);
        return true;
    }

    /**
     * @notice Lets `spender` move up to `value` of the caller's tokens.
     * @dev EIP-20 `approve`; sets, does not add.
     */
    function approve(address spender, uint256 value) external returns (bool) {
        allowance[msg.sender][spender] = value;
        emit Approval(msg.sender, spender, value);
        return true;
    }

    /**
     * @notice Moves `value` from `from` to `to` using the caller's allowance.
     * @dev EIP-20 `transferFrom`; an allowance of type(uint256).max is never decreased.
     */
    function transferFrom(address from, address to, uint256 value) external returns (bool) {
        uint256 allowed = allowance[from][msg.sender];
        if (allowed != type(uint256).max) {
            if (allowed < value) revert InsufficientAllowance(from, msg.sender, allowed, value);
            allowance[from][msg.sender] = allowed - value;
        }
        _move(from, to, value);
        return true;
    }

    function _move(address from, address to, uint256 value) internal {
        if (to == address(0)) revert TransferToZeroAddress(from);
        uint256 balance = balanceOf[from];
        // INVARIANT: the total supply is conserved: a move debits exactly what it credits.
        if (balance < value) revert InsufficientBalance(from, balance, value);
        unchecked {
            balanceOf[from] = balance - value;
        }
        balanceOf[to] += value;
        emit Transfer(from, to, value);
    }
}
